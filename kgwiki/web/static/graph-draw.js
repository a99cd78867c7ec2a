/* kgwiki graph drawing: the frames of a GraphView (methods added to its prototype).
 *
 * Edges go out as one path per kind (each note pair once) and nodes as one path per colour.
 * A big graph paints its frozen part into an off-screen bitmap once per change; a frame
 * copies that bitmap (moved and scaled while a pan or zoom is under way, repainted when it
 * rests) and draws over it only the neighbourhood a drag is moving. A focused node (hovered
 * or selected) dims the rest under a veil and is redrawn on top with its edges and neighbours.
 * Labels are placed hubs first and never on top of each other; more show as one zooms in.
 */
(function () {
  "use strict";

  var GraphView = window.kgwikiGraphView;
  var KIND_COLOURS = window.kgwikiGraphData.KIND_COLOURS;

  GraphView.prototype.draw = function () {
    var ctx = this.ctx, dpr = window.devicePixelRatio || 1, w = this.width, h = this.height;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.big) {
      if (!this.layerValid) this.paintLayer(dpr);
      var k = this.scale / this.layerScale;
      ctx.drawImage(this.layer, (this.tx - this.layerTx * k) * dpr, (this.ty - this.layerTy * k) * dpr,
                    this.layer.width * k, this.layer.height * k);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      if (this.active) this.paintMoving(ctx);
    } else {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.paintScene(ctx, false);
    }
    var focus = this.dragged >= 0 ? -1 : this.focused(), near = null;
    if (focus >= 0 && this.visible[focus]) {
      near = this.neighbourhood(focus);
      ctx.globalAlpha = 0.72;
      ctx.fillStyle = this.colours.bg;
      ctx.fillRect(0, 0, w, h);
      this.paintFocus(ctx, focus, near);
    }
    ctx.globalAlpha = 1;
    this.paintLabels(ctx, near);
    this.frames = (this.frames || 0) + 1;
  };

  GraphView.prototype.paintLayer = function (dpr) {
    if (!this.layer) this.layer = document.createElement("canvas");
    var layer = this.layer;
    if (layer.width !== this.canvas.width || layer.height !== this.canvas.height) {
      layer.width = this.canvas.width; layer.height = this.canvas.height;
    }
    var lctx = layer.getContext("2d");
    lctx.setTransform(1, 0, 0, 1, 0, 0);
    lctx.clearRect(0, 0, layer.width, layer.height);
    lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.paintScene(lctx, !!this.active);
    this.layerScale = this.scale; this.layerTx = this.tx; this.layerTy = this.ty;
    this.layerValid = true;
  };

  GraphView.prototype.edgeAlpha = function () {
    if (this.local) return 0.7;
    return Math.min(0.6, Math.max(0.07, 26 / Math.sqrt(this.g.pairA.length + 1)));
  };

  /* Every visible pair and node; `frozenOnly` leaves out what a drag is moving. */
  GraphView.prototype.paintScene = function (ctx, frozenOnly) {
    var g = this.g, active = frozenOnly ? this.active : null;
    var byKind = g.kinds.map(function () { return []; });
    for (var p = 0; p < g.pairA.length; p++) {
      if (active && (active[g.pairA[p]] || active[g.pairB[p]])) continue;
      byKind[g.pairKind[p]].push(p);
    }
    this.strokePairs(ctx, byKind, this.edgeAlpha(), this.local ? 1.3 : (this.big ? 0.6 : 1));
    this.fillNodes(ctx, function (i) { return !active || !active[i]; }, 1);
  };

  GraphView.prototype.paintMoving = function (ctx) {
    var g = this.g, byKind = g.kinds.map(function () { return []; }), active = this.active;
    for (var j = 0; j < this.movingPairs.length; j++) byKind[g.pairKind[this.movingPairs[j]]].push(this.movingPairs[j]);
    this.strokePairs(ctx, byKind, Math.max(0.25, this.edgeAlpha()), 1);
    this.fillNodes(ctx, function (i) { return active[i] === 1; }, 1);
  };

  GraphView.prototype.strokePairs = function (ctx, byKind, alpha, width) {
    var g = this.g, w = this.width, h = this.height, m = 20;
    ctx.lineWidth = width;
    ctx.globalAlpha = alpha;
    for (var k = 0; k < byKind.length; k++) {
      if (!this.kindOn[k] || !byKind[k].length) continue;
      var list = byKind[k];
      ctx.beginPath();
      for (var j = 0; j < list.length; j++) {
        var s = g.pairA[list[j]], t = g.pairB[list[j]];
        if (!this.visible[s] || !this.visible[t]) continue;
        var x1 = this.screenX(s), y1 = this.screenY(s), x2 = this.screenX(t), y2 = this.screenY(t);
        if ((x1 < -m && x2 < -m) || (x1 > w + m && x2 > w + m) || (y1 < -m && y2 < -m) || (y1 > h + m && y2 > h + m)) continue;
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
      ctx.strokeStyle = KIND_COLOURS[g.kinds[k]] || KIND_COLOURS.link;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  };

  GraphView.prototype.fillNodes = function (ctx, keep, alpha) {
    var g = this.g, w = this.width, h = this.height, groups = new Map();
    for (var i = 0; i < g.n; i++) {
      if (!this.visible[i] || !keep(i)) continue;
      var x = this.screenX(i), y = this.screenY(i);
      if (x < -20 || y < -20 || x > w + 20 || y > h + 20) continue;
      var colour = this.nodeColours[i], list = groups.get(colour);
      if (list) list.push(i); else groups.set(colour, [i]);
    }
    ctx.globalAlpha = alpha;
    var self = this;
    groups.forEach(function (members, colour) {
      ctx.beginPath();
      for (var j = 0; j < members.length; j++) {
        var n = members[j], r = self.radius(n), sx = self.screenX(n), sy = self.screenY(n);
        ctx.moveTo(sx + r, sy);
        ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = colour;
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    var centre = this.g.centre;  /* a selected node is ringed by paintFocus, not baked in */
    if (centre >= 0 && this.visible[centre] && keep(centre)) this.ring(ctx, centre);
  };

  GraphView.prototype.ring = function (ctx, i) {
    ctx.beginPath();
    ctx.arc(this.screenX(i), this.screenY(i), this.radius(i) + 3, 0, 2 * Math.PI);
    ctx.strokeStyle = this.colours.accent;
    ctx.lineWidth = 2;
    ctx.stroke();
  };

  GraphView.prototype.neighbourhood = function (i) {
    var g = this.g, near = new Map();
    near.set(i, -1);
    for (var k = g.nbrStart[i]; k < g.nbrStart[i + 1]; k++) {
      var pair = g.nbrPair[k];
      if (this.kindOn[g.pairKind[pair]] && this.visible[g.nbr[k]]) near.set(g.nbr[k], pair);
    }
    return near;
  };

  GraphView.prototype.paintFocus = function (ctx, focus, near) {
    var g = this.g, byKind = g.kinds.map(function () { return []; });
    near.forEach(function (pair) { if (pair >= 0) byKind[g.pairKind[pair]].push(pair); });
    this.strokePairs(ctx, byKind, 0.9, this.local ? 2 : (this.big ? 1 : 1.6));  /* wider lines in one path rasterise slowly in software */
    this.fillNodes(ctx, function (i) { return near.has(i); }, 1);
    this.ring(ctx, focus);
  };

  GraphView.prototype.textWidth = function (ctx, text) {
    var cache = this.widths || (this.widths = new Map()), key = ctx.font + "\u0000" + text;
    var width = cache.get(key);
    if (width === undefined) { width = ctx.measureText(text).width; cache.set(key, width); }
    return width;
  };

  /* Labels: the focused node and its neighbours first, then by number of links. Zoomed out
   * on a big graph a dozen hubs are named; each doubling of the zoom names four times more. */
  GraphView.prototype.paintLabels = function (ctx, near) {
    var g = this.g, w = this.width, h = this.height, self = this;
    ctx.font = (this.local ? "11px " : "12px ") + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    var zoom = this.scale / this.fitScale;
    /* a local graph names everyone while it is small; a crowded one (a hub's forty neighbours
     * in a 260 px box) names the best linked sixteen, and more as one zooms in */
    var budget = this.local ? (g.n <= 24 ? g.n : Math.round(16 * Math.max(1, zoom * zoom)))
      : (g.n <= 60 && w * h > 400000) ? g.n : Math.min(320, Math.round(14 * zoom * zoom));
    var placed = [], count = 0;
    function clash(box) {
      for (var q = 0; q < placed.length; q++) {
        var o = placed[q];
        if (box[0] < o[2] && box[2] > o[0] && box[1] < o[3] && box[3] > o[1]) return true;
      }
      return false;
    }
    function place(i, must) {
      var x = self.screenX(i), y = self.screenY(i);
      if (x < -40 || y < -10 || x > w + 40 || y > h + 10) return;
      var text = g.titles[i], tw = self.textWidth(ctx, text), max = self.local ? w - 8 : 260;
      while (tw > max && text.length > 4) { text = text.slice(0, -2) + "…"; tw = self.textWidth(ctx, text); }
      var r = self.radius(i), spots = [[x - tw / 2, y + r + 8], [x - tw / 2, y - r - 8],
                                       [x + r + 4, y], [x - r - 4 - tw, y]];
      var chosen = null;
      for (var s = 0; s < spots.length && !chosen; s++) {
        var lx = Math.max(2, Math.min(w - tw - 2, spots[s][0])), ly = spots[s][1];
        var box = [lx - 2, ly - 7, lx + tw + 2, ly + 7];
        if (!clash(box)) chosen = [lx, ly, box];
      }
      if (!chosen && !must) return;
      if (!chosen) { var bx = Math.max(2, Math.min(w - tw - 2, spots[0][0])); chosen = [bx, spots[0][1], [bx - 2, spots[0][1] - 7, bx + tw + 2, spots[0][1] + 7]]; }
      placed.push(chosen[2]);
      count++;
      ctx.lineWidth = 3;
      ctx.strokeStyle = self.colours.bg;
      ctx.strokeText(text, chosen[0], chosen[1]);
      ctx.fillStyle = g.wanted[i] ? self.colours.wanted : self.colours.fg;
      ctx.fillText(text, chosen[0], chosen[1]);
    }
    if (near) {
      var focus = this.focused();
      place(focus, true);
      var ranked = Array.from(near.keys()).filter(function (i) { return i !== focus; })
        .sort(function (a, b) { return g.links[b] - g.links[a]; }).slice(0, 60);
      ranked.forEach(function (i) { place(i, false); });
      this.labelled = count;
      return;
    }
    if (g.centre >= 0) place(g.centre, true);
    for (var o = 0; o < this.order.length && count < budget; o++) {
      var i = this.order[o];
      if (!this.visible[i] || i === g.centre) continue;
      place(i, this.local && g.n <= 16);
    }
    this.labelled = count;  /* how many names this frame drew (for tests) */
  };
})();
