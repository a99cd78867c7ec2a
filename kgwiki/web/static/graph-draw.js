/* kgwiki graph drawing: the frame of a GraphView (methods added to its prototype).
 *
 * Edges go out as one path per kind and nodes as one path per colour; with a node hovered,
 * everything else is dimmed and its edges and neighbours are drawn on top. Labels are placed
 * hubs first and never on top of each other; zoomed out on a big graph only a dozen show.
 */
(function () {
  "use strict";

  var GraphView = window.kgwikiGraphView;
  var KIND_COLOURS = window.kgwikiGraphData.KIND_COLOURS;

  // ---- drawing -------------------------------------------------------------------------

  GraphView.prototype.schedule = function () {
    if (this.pending || this.width === 0) return;
    this.pending = true;
    var self = this;
    window.requestAnimationFrame(function () { self.draw(); });
  };

  GraphView.prototype.draw = function () {
    this.pending = false;
    var ctx = this.ctx, g = this.g, dpr = window.devicePixelRatio || 1;
    var w = this.width, h = this.height, margin = 20;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    var focus = null;
    if (this.hover >= 0) {
      focus = new Uint8Array(g.n);
      focus[this.hover] = 1;
      var self = this;
      this.adjacency[this.hover].forEach(function (e) {
        if (self.kindOn[g.kind[e]]) { focus[g.src[e]] = 1; focus[g.dst[e]] = 1; }
      });
    }
    ctx.lineWidth = this.local ? 1.5 : 0.7;
    for (var k = 0; k < g.kinds.length; k++) {
      if (!this.kindOn[k]) continue;
      var list = this.edgesByKind[k];
      ctx.beginPath();
      for (var j = 0; j < list.length; j++) {
        var e = list[j], s = g.src[e], t = g.dst[e];
        if (!this.visible[s] || !this.visible[t]) continue;
        var x1 = this.screenX(s), y1 = this.screenY(s), x2 = this.screenX(t), y2 = this.screenY(t);
        if ((x1 < -margin && x2 < -margin) || (x1 > w + margin && x2 > w + margin) ||
            (y1 < -margin && y2 < -margin) || (y1 > h + margin && y2 > h + margin)) continue;
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
      ctx.strokeStyle = KIND_COLOURS[g.kinds[k]] || KIND_COLOURS.link;
      ctx.globalAlpha = focus ? 0.08 : (this.local ? 0.75 : 0.35);
      ctx.stroke();
    }
    this.drawNodes(focus ? 0.18 : 1, null);
    if (focus) {
      this.drawFocusEdges();
      this.drawNodes(1, focus);
    }
    ctx.globalAlpha = 1;
    this.drawLabels(focus);
  };

  GraphView.prototype.drawNodes = function (alpha, only) {
    var ctx = this.ctx, g = this.g, w = this.width, h = this.height;
    var groups = {};
    for (var i = 0; i < g.n; i++) {
      if (!this.visible[i] || (only && !only[i])) continue;
      var x = this.screenX(i), y = this.screenY(i);
      if (x < -20 || y < -20 || x > w + 20 || y > h + 20) continue;
      var colour = this.nodeColour(i);
      (groups[colour] || (groups[colour] = [])).push(i);
    }
    ctx.globalAlpha = alpha;
    for (var colour in groups) {
      ctx.beginPath();
      var members = groups[colour];
      for (var j = 0; j < members.length; j++) {
        var n = members[j], r = this.radius(n), sx = this.screenX(n), sy = this.screenY(n);
        ctx.moveTo(sx + r, sy);
        ctx.arc(sx, sy, r, 0, 2 * Math.PI);
      }
      ctx.fillStyle = colour;
      ctx.fill();
    }
    if (this.g.centre >= 0 || this.hover >= 0) {
      var ring = this.hover >= 0 ? this.hover : this.g.centre;
      ctx.globalAlpha = 1;
      ctx.beginPath();
      ctx.arc(this.screenX(ring), this.screenY(ring), this.radius(ring) + 3, 0, 2 * Math.PI);
      ctx.strokeStyle = this.colours.accent;
      ctx.lineWidth = 2;
      ctx.stroke();
    }
  };

  GraphView.prototype.drawFocusEdges = function () {
    var ctx = this.ctx, g = this.g, self = this;
    ctx.globalAlpha = 0.9;
    ctx.lineWidth = this.local ? 2.5 : 1.6;
    this.adjacency[this.hover].forEach(function (e) {
      if (!self.kindOn[g.kind[e]] || !self.visible[g.src[e]] || !self.visible[g.dst[e]]) return;
      ctx.beginPath();
      ctx.moveTo(self.screenX(g.src[e]), self.screenY(g.src[e]));
      ctx.lineTo(self.screenX(g.dst[e]), self.screenY(g.dst[e]));
      ctx.strokeStyle = KIND_COLOURS[g.kinds[g.kind[e]]] || KIND_COLOURS.link;
      ctx.stroke();
    });
  };

  GraphView.prototype.drawLabels = function (focus) {
    var ctx = this.ctx, g = this.g, w = this.width, h = this.height;
    ctx.font = (this.local ? "11px " : "12px ") + getComputedStyle(document.body).fontFamily;
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    var placed = [], budget = this.local ? g.n : 220;
    var zoomedOut = !this.local && g.n > 80 && this.scale < this.fitScale * 1.6;
    var limit = zoomedOut ? 12 : budget;
    for (var o = 0; o < this.order.length && placed.length < limit + (focus ? 40 : 0); o++) {
      var i = this.order[o];
      if (!this.visible[i]) continue;
      if (focus && !focus[i]) continue;
      var x = this.screenX(i), y = this.screenY(i);
      if (x < 0 || y < 0 || x > w || y > h) continue;
      var max = this.local ? 18 : 30;
      var text = g.titles[i].length > max ? g.titles[i].slice(0, max - 1) + "…" : g.titles[i];
      var tw = ctx.measureText(text).width, r = this.radius(i);
      var lx = x + r + 4, ly = y;
      if (this.local) {  /* centred under (or over, in the upper half) its node */
        lx = x - tw / 2;
        ly = i !== g.centre && g.y[i] < -0.2 ? y - r - 8 : y + r + 9;
      } else if (lx + tw > w) {
        lx = x - r - 4 - tw;
      }
      lx = Math.max(2, Math.min(w - tw - 2, lx));
      var box = [lx - 2, ly - 8, lx + tw + 2, ly + 8];
      var clash = placed.some(function (p) { return box[0] < p[2] && box[2] > p[0] && box[1] < p[3] && box[3] > p[1]; });
      if (clash && !(focus && i === this.hover)) continue;
      placed.push(box);
      ctx.lineWidth = 3;
      ctx.strokeStyle = this.colours.bg;
      ctx.strokeText(text, lx, ly);
      ctx.fillStyle = g.wanted[i] ? this.colours.wanted : this.colours.fg;
      ctx.fillText(text, lx, ly);
    }
  };
})();
