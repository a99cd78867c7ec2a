#!/usr/bin/env python3
"""Generate a synthetic kgwiki vault of N notes shaped like the seed notes.

    python scripts/gen_vault.py 10000 -o /tmp/v10k [--seed S] [--template-share F] [--quiet]

Standard library only, so it runs before the project is installed. Same N and seed give
byte-identical files: every note draws from its own ``random.Random`` seeded by (seed, index),
and nothing iterates a set or depends on hash order.

What a vault holds (see ``generate``): YAML frontmatter with the trust fields, Korean/English
prose, Zipf-distributed ``[[wiki-links]]`` by title (a few hubs get most of them), heading links
that point at headings which exist, about 3% links to pages that do not exist, svg embeds, a
typed Graph section, a Changelog table, ~1% planted near-duplicates (half declared with
``duplicate_of``) and ~0.2% notes flattened onto one line. The planted duplicate pairs are
also written to ``<out>/.kgwiki-planted-duplicates.json``, a hidden file vault loaders skip.

``--template-share 0.3`` makes that share of the ordinary notes from one "People" template, as
Obsidian's Templater writes them: the same boilerplate lines (about two thirds of the note),
the same alias (``TEMPLATE_ALIAS``), a link to it, an unrendered placeholder alias, and a
different filling each (``template_note``); the manifest lists them under ``templated``.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

MANIFEST = ".kgwiki-planted-duplicates.json"
ASSET_COUNT = 8
MEAN_NOTE_BYTES = 5000
UNRESOLVED_RATE = 0.03
DUPLICATE_RATE = 0.01
FLATTEN_RATE = 0.002
ALIAS_RATE = 0.33
ZIPF_S = 1.0
TEMPLATE_ALIAS = "Person"
# The template's fixed lines; a note made from it fills in a name and a few sentences.
TEMPLATE_LINES = (
    "Template: People note, made with the vault's standard person template",
    "Type: person; status: to be reviewed; created from the people template",
    "Contact details and affiliation are filled in when they are known to us",
    "Relationship: colleague, author, speaker or contact met at a conference",
    "Use this note to collect meetings, quotes and ideas connected to this person",
    "Review this note once a quarter and link it from the relevant project notes",
    "Meetings: list every meeting with a date, a topic and the decisions taken",
    "Quotes: copy the exact words and add where and when they were said",
    "Open questions: what to ask next time, what to follow up, what to send",
    "Tags and aliases follow the conventions written in the vault's guide note",
)

# --------------------------------------------------------------------------- vocabulary


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Split a vocabulary block, keeping order and dropping repeats (order is part of the seed)."""
    items = text.split(sep) if sep else text.split()
    return tuple(dict.fromkeys(w.strip() for w in items if w.strip()))


KO_NOUNS = _words("""
아키텍처 시스템 서비스 데이터베이스 캐시 서버 클라이언트 요청 응답 트래픽 장애 배포 확장성 가용성
일관성 성능 지연 처리량 메시지 이벤트 큐 토픽 파티션 스키마 인덱스 쿼리 트랜잭션 로그 메트릭 지표
모니터링 알림 컨테이너 클러스터 노드 네트워크 프록시 게이트웨이 인증 권한 토큰 세션 암호화 보안
설정 환경 파이프라인 빌드 테스트 코드 모듈 컴포넌트 인터페이스 계층 도메인 경계 모델 저장소
스토리지 파일 버전 릴리스 롤백 마이그레이션 복제 샤딩 리더 합의 타임아웃 재시도 백오프 부하 용량
비용 자원 메모리 디스크 스레드 프로세스 동시성 락 상태 데이터 레코드 테이블 키 해시 정렬 검색 색인
형태소 분석기 점수 순위 결과 문서 노트 링크 그래프 관계 태그 별칭 제목 본문 변경 이력 신뢰도 출처
검증 중복 규칙 정책 제약 요구사항 목표 팀 조직 개발자 운영 운영자 사용자 고객 테넌트 플랫폼 인프라
클라우드 리전 엣지 브라우저 앱 모바일 프론트엔드 백엔드 엔드포인트 라우팅 프레임워크 라이브러리
의존성 패키지 런타임 컴파일러 타입 함수 객체 클래스 패턴 원칙 방식 구조 흐름 단계 과정 전략 기준
선택 결정 문제 해결책 한계 장점 단점 위험 실패 복구 백업 관측성 추적 확장 최적화 병목 경합 처리
저장 조회 전송 수집 집계 분산 격리 자동화 배치 스트림 워커 스케줄러 컨슈머 프로듀서 브로커 레플리카
""")

KO_PREDICATES = _words("""
설계합니다|결정한다|중요하다|필요하다|가능하다|줄인다|늘린다|보장한다|분리한다|처리한다|담당한다
|개선된다|악화된다|증가한다|감소한다|어렵다|쉽다|유리하다|불리하다|권장된다|피해야 한다
|고려해야 한다|측정해야 한다|명시해야 한다|의미합니다|구성됩니다|제공합니다|지원합니다|활용합니다
|도입한다|선택한다|검증한다|모니터링한다|캐싱한다|분산한다|복제한다|격리한다|재시도한다|배포한다
|단순해진다|복잡해진다|깨지기 쉽다|병목이 된다|전파된다|흡수한다|완화한다|정렬된다|드러난다
|숨겨진다|비싸다|저렴하다|충분하다|부족하다|안전하다|위험하다|예측 가능하다|관리된다|자동화된다
|표준이 되었다|기본값이다|흔한 실수다|핵심이다|선택 사항이다
""", "|")

KO_ADVERBS = _words("""
빠르게 쉽게 독립적으로 명확히 점진적으로 비동기적으로 동기적으로 자동으로 주기적으로 안정적으로
일관되게 반드시 보통 대부분 특히 결국 먼저 동시에 함께 따로 직접 간접적으로 충분히 적절히
지속적으로 거의 항상 가끔 드물게 명시적으로 암묵적으로 미리 나중에 즉시
""")

KO_ADNOMINALS = _words("""
작은 큰 빠른 느린 복잡한 단순한 중요한 독립적인 분산된 공유된 안정적인 일관된 느슨한 강한 약한
주요 핵심 기본 새로운 기존 전체 개별 외부 내부 동기 비동기 읽기 쓰기 임시 영구
""")

KO_CONNECTORS = _words("""
하지만|따라서|그래서|즉,|반면|또한|예를 들어|결과적으로|실무에서는|2026 현재|보통은|다만|특히
|처음에는|규모가 커지면
""", "|")

EN_TOOLS = _words("""
Kafka, RabbitMQ, NATS, Pulsar, SQS, SNS, Kinesis, Redis, Memcached, Postgres, PostgreSQL, MySQL,
MariaDB, SQLite, MongoDB, Cassandra, ScyllaDB, DynamoDB, CockroachDB, TiDB, Spanner, Bigtable,
ClickHouse, Druid, Pinot, Snowflake, BigQuery, Redshift, Elasticsearch, OpenSearch, Solr,
Meilisearch, Typesense, Lucene, Whoosh, Kubernetes, Docker, containerd, Podman, Helm, Kustomize,
Argo CD, Argo Rollouts, Flux, Terraform, Pulumi, Ansible, Packer, Vault, Consul, Nomad, etcd,
ZooKeeper, Envoy, Istio, Linkerd, Cilium, Calico, NGINX, HAProxy, Traefik, Caddy, Kong, Cloudflare,
Fastly, AWS Lambda, Cloudflare Workers, Fargate, ECS, EKS, GKE, AKS, S3, GCS, MinIO, Ceph,
Prometheus, Grafana, Loki, Tempo, Jaeger, Zipkin, OpenTelemetry, Datadog, Honeycomb, Sentry,
PagerDuty, Alertmanager, Thanos, Mimir, VictoriaMetrics, Fluent Bit, Vector, Logstash, Kibana,
Spark, Flink, Beam, Airflow, Dagster, dbt, Trino, Presto, Hive, Iceberg, Delta Lake, Hudi, Parquet,
Avro, Protobuf, gRPC, GraphQL, Thrift, OpenAPI, Spring Boot, Django, FastAPI, Flask, Express,
NestJS, Next.js, React, Vue.js, Svelte, Node.js, Deno, Bun, Go, Rust, Python, TypeScript, Java,
Kotlin, Scala, Elixir, Erlang, Haskell, Zig, Temporal, Celery, Sidekiq, Debezium, Kafka Connect,
Schema Registry, Redpanda, Pinecone, Weaviate, Qdrant, Milvus, pgvector, FAISS, LangChain,
LlamaIndex, Ollama, vLLM, PyTorch, Keycloak, Auth0, Okta, Let's Encrypt, WireGuard, Tailscale,
GitHub Actions, GitLab CI, Jenkins, Buildkite, Bazel, Nix, Backstage, Obsidian, Quartz, MkDocs, Hugo
""", ",")

EN_CONCEPTS = _words("""
latency, throughput, backpressure, idempotency, consistency, availability, partition tolerance,
durability, sharding, replication, leader election, consensus, quorum, Raft, Paxos, gossip protocol,
vector clock, CRDT, eventual consistency, strong consistency, linearizability, serializability,
snapshot isolation, MVCC, write-ahead log, LSM tree, B-tree, bloom filter, consistent hashing,
rate limiting, token bucket, leaky bucket, circuit breaker, bulkhead, retry, exponential backoff,
jitter, timeout, deadline propagation, load shedding, graceful degradation, failover, health check,
readiness probe, liveness probe, blue-green deployment, canary release, feature flag, rollback,
schema migration, zero-downtime deploy, horizontal scaling, vertical scaling, autoscaling,
cold start, connection pool, thread pool, event loop, async I/O, coroutine, actor model,
message broker, pub/sub, fan-out, dead letter queue, exactly-once, at-least-once, outbox pattern,
saga, two-phase commit, change data capture, event sourcing, CQRS, materialized view, read replica,
cache invalidation, cache stampede, write-through, write-behind, cache-aside, TTL, hot key,
multi-tenancy, noisy neighbor, blast radius, cell architecture, bounded context, aggregate,
domain event, anti-corruption layer, hexagonal architecture, clean architecture,
layered architecture, modular monolith, service boundary, API gateway, BFF, service discovery,
sidecar, control plane, data plane, mTLS, zero trust, RBAC, ABAC, JWT, OAuth2, OIDC, SSO,
secret rotation, encryption at rest, TLS termination, SLO, SLI, error budget, p99 latency,
tail latency, observability, structured logging, distributed tracing, span, trace context,
metrics cardinality, alert fatigue, runbook, postmortem, on-call, chaos engineering,
capacity planning, load testing, benchmark, profiling, flame graph, GC pause, memory leak, heap,
lock contention, deadlock, race condition, mutex, semaphore, lock-free, immutability,
pure function, dependency injection, inversion of control, contract testing, integration test,
unit test, property-based testing, fuzzing, mutation testing, snapshot test, CI pipeline,
trunk-based development, code review, monorepo, semantic versioning, backward compatibility,
API versioning, pagination, cursor, ETag, HTTP/2, HTTP/3, QUIC, WebSocket, SSE, long polling, CDN,
edge caching, DNS, anycast, BGP, TCP, UDP, NAT, VPC, subnet, ingress, egress, service mesh,
overlay network, eBPF, kernel, syscall, container image, OCI, namespace, cgroup, pod, deployment,
StatefulSet, DaemonSet, operator, CRD, reconciliation loop, GitOps, infrastructure as code,
drift detection, immutable infrastructure, serverless, FaaS, event-driven, webhook, cron,
batch job, stream processing, windowing, watermark, late data, exactly-once semantics, data lake,
lakehouse, data warehouse, ETL, ELT, OLTP, OLAP, columnar storage, compression, partition pruning,
query planner, index scan, full table scan, N+1 query, ORM, prepared statement, SQL injection, XSS,
CSRF, CORS, input validation, threat model, least privilege, audit log, GDPR, PII, data retention,
backup, point-in-time recovery, RPO, RTO, disaster recovery, multi-region, active-active,
active-passive, geo-replication, conflict resolution, last-write-wins, embedding, vector search,
ANN, HNSW, BM25, tokenizer, n-gram, stemming, inverted index, relevance ranking, reranking, RAG,
prompt, context window, fine-tuning, inference, batching, quantization, KV cache, hallucination,
evaluation, guardrails, agent, tool calling, trade-off, technical debt, refactoring, ADR, RFC,
design doc, Conway's law, team topology, platform team, golden path, developer experience, toil,
automation, monolith, microservice, stateless service, sticky session, session affinity,
request hedging, retry budget, queue depth, head-of-line blocking, Little's law, tail sampling,
head sampling, log level, correlation ID, request ID, idempotency key, optimistic locking,
pessimistic locking, compare-and-swap, fencing token, lease, heartbeat, split brain, hinted handoff,
read repair, anti-entropy, Merkle tree, write amplification, read amplification, compaction,
tombstone, vacuum, autovacuum, index bloat, query cache, buffer pool, page cache, fsync, O_DIRECT,
zero-copy, mmap, NUMA, CPU pinning, huge pages, connection draining, keep-alive, slow start,
congestion control, retransmission, MTU, TLS handshake, certificate pinning, HSTS, CSP,
SameSite cookie, refresh token, access token, API key, webhook signature, HMAC, nonce,
replay attack, supply chain, SBOM, image scanning, admission controller, pod security,
network policy, egress gateway,
blue team, red team, feature toggle, dark launch, shadow traffic, traffic mirroring, A/B test,
experiment platform, data contract, schema evolution, backward-compatible change, breaking change,
deprecation, sunset header, rate limit header, quota, tenant isolation, row-level security,
soft delete, event log, append-only log, commit log, offset, consumer group, rebalance,
partition key,
message ordering, poison message, visibility timeout, ack, nack, prefetch, batch size, linger,
dedup window, upsert, merge, snapshot, checkpoint, savepoint, state backend, side input
""", ",")

EN_PHRASES = _words("""
single source of truth, separation of concerns, fail fast, defense in depth, design for failure,
you build it you run it, make it work then make it fast, measure before optimizing,
boring technology, cattle not pets, shift left, everything fails all the time,
small blast radius, explicit over implicit, convention over configuration, build vs buy,
one writer many readers, read-your-writes, monotonic reads, happens-before, at-most-once,
end-to-end argument, two pizza team, inverse Conway maneuver, strangler fig,
branch by abstraction, expand and contract, dual write problem, thundering herd,
retry storm, cascading failure, gray failure, metastable failure, noisy alert, golden signals,
RED method, USE method, four keys, DORA metrics, mean time to recovery, change failure rate,
lead time, deploy frequency, error rate, saturation, utilization, queueing delay,
request fan-out, scatter-gather, bulk API, streaming API, long-running job, work queue,
priority queue, delayed queue, rate-based scaling, queue-based scaling, warm pool,
read-heavy workload, write-heavy workload, hot partition, data skew, cross-shard query,
global secondary index, local secondary index, covering index, partial index, expression index
""", ",")

EN_TERMS = EN_CONCEPTS + EN_PHRASES + EN_TOOLS
EN_HEADING_TERMS = tuple(t for t in EN_CONCEPTS if "/" not in t and "'" not in t)

TITLE_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("Backpressure", "백프레셔"), ("Consumer Groups", "컨슈머 그룹"), ("Replication", "복제"),
    ("Sharding", "샤딩"), ("Rate Limiting", "요청 제한"), ("Caching Strategy", "캐싱 전략"),
    ("Connection Pooling", "커넥션 풀링"), ("Schema Migration", "스키마 마이그레이션"),
    ("Leader Election", "리더 선출"), ("Failover", "장애 조치"), ("Autoscaling", "오토스케일링"),
    ("Observability", "관측성"), ("Distributed Tracing", "분산 추적"),
    ("Structured Logging", "구조화 로깅"), ("Alerting", "알림 설계"),
    ("Capacity Planning", "용량 계획"), ("Load Testing", "부하 테스트"),
    ("Security Hardening", "보안 강화"), ("Access Control", "접근 제어"),
    ("Secret Management", "시크릿 관리"), ("Backup and Restore", "백업과 복구"),
    ("Disaster Recovery", "재해 복구"), ("Multi-Region Setup", "멀티 리전 구성"),
    ("Cost Optimization", "비용 최적화"), ("Performance Tuning", "성능 튜닝"),
    ("Query Optimization", "쿼리 최적화"), ("Indexing Strategy", "인덱스 전략"),
    ("Transactions", "트랜잭션"), ("Isolation Levels", "격리 수준"), ("Deadlocks", "데드락"),
    ("Retry Policy", "재시도 정책"), ("Timeouts", "타임아웃"), ("Circuit Breaking", "회로 차단"),
    ("Health Checks", "헬스 체크"), ("Deployment Strategy", "배포 전략"),
    ("Canary Releases", "카나리 배포"), ("Blue-Green Deployment", "블루그린 배포"),
    ("Rollbacks", "롤백"), ("Feature Flags", "피처 플래그"),
    ("Configuration Management", "설정 관리"), ("Service Discovery", "서비스 디스커버리"),
    ("Load Balancer Setup", "로드 밸런서 구성"), ("API Versioning", "API 버전 관리"),
    ("Pagination", "페이지네이션"), ("Error Handling", "에러 처리"),
    ("Idempotency Keys", "멱등성 키"), ("Exactly-Once Delivery", "정확히 한 번 전달"),
    ("Dead Letter Queues", "데드 레터 큐"), ("Event Schemas", "이벤트 스키마"),
    ("Change Data Capture", "변경 데이터 캡처"), ("Streaming Pipelines", "스트리밍 파이프라인"),
    ("Batch Processing", "배치 처리"), ("Data Modeling", "데이터 모델링"),
    ("Partitioning", "파티셔닝"), ("Compaction", "컴팩션"), ("Memory Management", "메모리 관리"),
    ("Garbage Collection", "가비지 컬렉션"), ("Concurrency Model", "동시성 모델"),
    ("Thread Pools", "스레드 풀"), ("Async IO", "비동기 IO"), ("Testing Strategy", "테스트 전략"),
    ("Integration Testing", "통합 테스트"), ("Contract Testing", "계약 테스트"),
    ("CI Pipeline", "CI 파이프라인"), ("Monitoring Dashboards", "모니터링 대시보드"),
    ("SLO Design", "SLO 설계"), ("Incident Response", "장애 대응"), ("Postmortems", "포스트모템"),
    ("Runbooks", "런북"), ("Cluster Upgrades", "클러스터 업그레이드"),
    ("Network Policies", "네트워크 정책"), ("TLS Setup", "TLS 설정"),
    ("Authentication Flow", "인증 흐름"), ("Authorization Model", "인가 모델"),
    ("Session Management", "세션 관리"), ("Multi-Tenancy", "멀티 테넌시"),
    ("Data Retention", "데이터 보존"), ("Encryption", "암호화"), ("Audit Logging", "감사 로그"),
    ("Cache Invalidation", "캐시 무효화"), ("Hot Keys", "핫 키"),
    ("Consistency Model", "일관성 모델"), ("Conflict Resolution", "충돌 해결"),
    ("Schema Design", "스키마 설계"), ("Internals", "내부 구조"), ("Architecture", "아키텍처"),
    ("Best Practices", "모범 사례"), ("Anti-Patterns", "안티패턴"),
    ("Troubleshooting", "트러블슈팅"), ("Benchmarking", "벤치마킹"),
    ("Migration Guide", "마이그레이션 가이드"), ("Operator Pattern", "오퍼레이터 패턴"),
    ("Vector Search", "벡터 검색"), ("Embeddings", "임베딩"), ("Reranking", "재순위화"),
    ("Prompt Design", "프롬프트 설계"), ("Evaluation", "평가"), ("Cold Starts", "콜드 스타트"),
    ("Resource Limits", "리소스 제한"), ("Storage Engine", "스토리지 엔진"),
    ("Write Path", "쓰기 경로"), ("Read Path", "읽기 경로"), ("Query Planner", "쿼리 플래너"),
    ("Tokenization", "토큰화"), ("Upgrade Notes", "업그레이드 노트"),
)

TITLE_TECH = tuple(t for t in EN_TOOLS if "'" not in t)
LABELS = EN_TERMS + KO_NOUNS

# Hubs are the pages the seed links to and their neighbours: rank 0.. of the Zipf popularity.
HUBS: tuple[tuple[str, str | None, str | None], ...] = (
    ("Distributed Systems", "분산 시스템", None), ("Microservices", "마이크로서비스", "MSA"),
    ("Event-Driven Architecture", "이벤트 기반 아키텍처", "EDA"),
    ("Kubernetes", "쿠버네티스", "k8s"), ("Observability", "관측 가능성", "o11y"),
    ("Cloud Native", "클라우드 네이티브", None), ("Serverless", "서버리스", "FaaS"),
    ("Service Mesh", "서비스 메시", None),
    ("Server Architecture", "서버 아키텍처", "Backend Architecture"),
    ("System Design", "시스템 설계", None), ("Databases", "데이터베이스", "DBMS"),
    ("Caching", "캐싱", None), ("Message Queues", "메시지 큐", "MQ"),
    ("API Design", "API 설계", None), ("Domain-Driven Design", "도메인 주도 설계", "DDD"),
    ("CQRS", "명령 조회 책임 분리", "Command Query Responsibility Segregation"),
    ("Event Sourcing", "이벤트 소싱", None), ("Consensus", "합의 알고리즘", None),
    ("CAP Theorem", "CAP 정리", None), ("Load Balancing", "로드 밸런싱", "LB"),
    ("Rate Limiter", "처리율 제한 장치", "Throttling"),
    ("Circuit Breaker", "서킷 브레이커", None),
    ("Site Reliability Engineering", "사이트 신뢰성 엔지니어링", "SRE"),
    ("Continuous Delivery", "지속적 배포", "CD"),
    ("Infrastructure as Code", "코드형 인프라", "IaC"), ("Containers", "컨테이너", None),
    ("Networking", "네트워킹", None), ("Security", "보안", None),
    ("Authentication", "인증", "AuthN"), ("Data Engineering", "데이터 엔지니어링", None),
    ("Stream Processing", "스트림 처리", None), ("Search Engines", "검색 엔진", None),
    ("Concurrency", "동시성", None), ("Testing", "테스트", None),
    ("Performance Engineering", "성능 엔지니어링", None),
    ("Modular Monolith", "모듈러 모놀리스", None), ("Idempotency", "멱등성", None),
    ("Database Sharding", "데이터베이스 샤딩", None),
    ("Database Replication", "데이터베이스 복제", None),
    ("Outbox Pattern", "아웃박스 패턴", "Transactional Outbox"),
    ("Saga Pattern", "사가 패턴", "Saga"), ("GraphQL", None, None), ("gRPC", None, None),
    ("REST", "REST API", "RESTful API"), ("Vector Databases", "벡터 데이터베이스", None),
    ("LLM Applications", "LLM 애플리케이션", None),
    ("Retrieval-Augmented Generation", "검색 증강 생성", "RAG"),
    ("Monitoring", "모니터링", None), ("Knowledge Graph", "지식 그래프", None),
    ("Zettelkasten", "제텔카스텐", None),
)

FOLDERS: tuple[tuple[str, int], ...] = (
    ("10_Wiki/Topics", 14), ("10_Wiki/Patterns", 10), ("10_Wiki/Concepts", 9),
    ("10_Wiki/Tools", 8), ("10_Wiki/Databases", 6), ("10_Wiki/Infrastructure", 6),
    ("10_Wiki/Security", 4), ("10_Wiki/Observability", 4), ("10_Wiki/AI", 4),
    ("10_Wiki/Languages", 3), ("20_Projects/atlas", 3), ("20_Projects/helios", 3),
    ("20_Projects/kestrel", 2), ("20_Projects/nimbus", 2), ("30_Areas/Backend", 4),
    ("30_Areas/DevOps", 3), ("30_Areas/Data", 3), ("30_Areas/Frontend", 2),
    ("40_Resources/Books", 2), ("40_Resources/Papers", 2), ("50_Journal/2025", 2),
    ("50_Journal/2026", 2),
)

TAGS = _words("""
architecture backend frontend distributed-systems scalability reliability performance security
observability devops database caching messaging networking cloud kubernetes docker testing api
design data streaming search concurrency infrastructure sre incident deployment ci-cd monitoring
logging tracing metrics storage consistency availability resilience cost migration refactoring
microservices monolith serverless event-driven ddd cqrs llm rag embeddings vector-search korean
nlp tokenization compliance privacy auth identity encryption queue scheduling batch analytics
warehouse lakehouse etl orm sql nosql graph knowledge-management zettelkasten obsidian writing
pattern/messaging pattern/resilience pattern/data pattern/integration pattern/deployment
pattern/concurrency pattern/caching pattern/api pattern/security pattern/observability
db/postgres db/mysql db/redis db/mongodb db/cassandra db/dynamodb db/clickhouse db/sqlite
lang/python lang/go lang/rust lang/typescript lang/java lang/kotlin lang/scala lang/elixir
cloud/aws cloud/gcp cloud/azure cloud/cloudflare infra/terraform infra/helm infra/argocd
infra/istio infra/envoy ops/on-call ops/postmortem ops/runbook ops/capacity ops/chaos
ai/llm ai/rag ai/agents ai/evaluation ai/inference status/seedling status/evergreen
status/needs-review project/atlas project/helios project/kestrel project/nimbus
book/ddia book/sre paper/raft paper/dynamo paper/spanner paper/bigtable topic/korean-nlp
topic/search topic/graph topic/trust topic/changelog topic/duplicates http dns tls websocket cdn
load-balancing rate-limiting idempotency sharding replication pattern/storage lang/zig infra/nginx
""")

SOURCES = (
    "https://martinfowler.com/articles/patterns-of-distributed-systems/",
    "https://sre.google/sre-book/table-of-contents/",
    "book: Designing Data-Intensive Applications (Kleppmann)",
    "https://kafka.apache.org/documentation/",
    "https://kubernetes.io/docs/concepts/",
    "https://www.postgresql.org/docs/current/",
    "paper: In Search of an Understandable Consensus Algorithm (Raft, 2014)",
    "https://aws.amazon.com/builders-library/",
    "internal: incident review 2025-11",
    "https://redis.io/docs/latest/",
    "book: Building Microservices (Sam Newman)",
    "https://opentelemetry.io/docs/",
    "https://learn.microsoft.com/azure/architecture/patterns/",
    "talk: QCon 2025 — cell-based architecture",
)

CODE_COMMANDS = (
    "kubectl get pods -o wide", "EXPLAIN ANALYZE", "redis-cli --latency", "SELECT 1",
    "curl -s localhost:8080/healthz", "kafka-consumer-groups --describe", "helm diff upgrade",
    "terraform plan", "go test -race ./...", "pytest -x", "vacuumdb --analyze", "dig +short",
)

# Korean term ↔ English term, used when rewording a planted duplicate.
TERM_SWAPS: tuple[tuple[str, str], ...] = (
    ("아키텍처", "architecture"), ("시스템", "system"), ("서비스", "service"),
    ("데이터베이스", "database"), ("캐시", "cache"), ("서버", "server"),
    ("클라이언트", "client"), ("트래픽", "traffic"), ("장애", "failure"), ("배포", "deployment"),
    ("확장성", "scalability"), ("가용성", "availability"), ("일관성", "consistency"),
    ("성능", "performance"), ("메시지", "message"), ("이벤트", "event"),
    ("인증", "authentication"), ("트랜잭션", "transaction"), ("복제", "replication"),
    ("지연", "latency"), ("처리량", "throughput"), ("모니터링", "monitoring"),
    ("설정", "configuration"), ("컨테이너", "container"), ("클러스터", "cluster"), ("로그", "log"),
    ("스키마", "schema"), ("파티션", "partition"), ("인덱스", "index"), ("쿼리", "query"),
)

# ----------------------------------------------------------------------------- Korean


def _jong(ch: str) -> int | None:
    """The final-consonant index of a Hangul syllable (0 = none), None for other characters."""
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28
    return None


def _ends_closed(word: str) -> tuple[bool, bool]:
    """(has a final consonant, that consonant is ㄹ) as a Korean reader would pronounce it."""
    jong = _jong(word[-1])
    if jong is not None:
        return jong != 0, jong == 8
    low = word.lower()
    # English loanwords read with a final vowel, except these endings (시스템, 토큰, 레벨).
    if low.endswith(("m", "n", "ng")):
        return True, False
    if low.endswith("l"):
        return True, True
    return False, False


_PARTICLES: dict[str, tuple[str, str]] = {
    "topic": ("은", "는"), "subj": ("이", "가"), "obj": ("을", "를"), "and": ("과", "와"),
    "instr": ("으로", "로"),
}


def attach(word: str, kind: str, spaced: bool = False) -> str:
    """Attach a Korean particle choosing the form by the final sound: 시스템을, 서비스를."""
    closed, rieul = _ends_closed(word)
    if kind in _PARTICLES:
        with_final, without = _PARTICLES[kind]
        particle = with_final if closed and not (kind == "instr" and rieul) else without
    else:
        particle = kind
    return f"{word} {particle}" if spaced else word + particle


def _pools() -> dict[str, tuple[str, ...]]:
    ko = KO_NOUNS
    en = EN_TERMS
    pools: dict[str, tuple[str, ...]] = {
        "KN": ko,
        "KT": tuple(attach(w, "topic") for w in ko),
        "KS": tuple(attach(w, "subj") for w in ko),
        "KO": tuple(attach(w, "obj") for w in ko),
        "KA": tuple(attach(w, "and") for w in ko),
        "KI": tuple(attach(w, "instr") for w in ko),
        "KG": tuple(w + "의" for w in ko),
        "KL": tuple(w + "에서" for w in ko),
        "KE": tuple(w + "에" for w in ko),
        "E": en,
        "EH": EN_HEADING_TERMS,
        "ET": tuple(attach(w, "topic", True) for w in en),
        "ES": tuple(attach(w, "subj", True) for w in en),
        "EO": tuple(attach(w, "obj", True) for w in en),
        "EG": tuple(w + " 의" for w in en),
        "EA": tuple(attach(w, "and", True) for w in en),
        "T": EN_TOOLS,
        "TO": tuple(attach(w, "obj", True) for w in EN_TOOLS),
        "TT": tuple(attach(w, "topic", True) for w in EN_TOOLS),
        "TA": tuple(attach(w, "and", True) for w in EN_TOOLS),
        "ADJ": KO_ADNOMINALS,
        "ADV": KO_ADVERBS,
        "P": KO_PREDICATES,
        "C": KO_CONNECTORS,
        "N": ("2", "3", "4", "5", "8", "10", "16", "32", "50", "100", "200", "250", "500", "1000"),
        "PCT": ("5%", "10%", "20%", "30%", "50%", "80%", "95%", "99%", "99.9%"),
        "CMD": CODE_COMMANDS,
        "D": ("1", "2", "3", "4", "5", "6", "7", "8", "9"),
    }
    return pools


POOLS = _pools()

Template = tuple[str | tuple[str, ...], ...]


def _compile(templates: Sequence[str]) -> tuple[Template, ...]:
    """Pre-split ``{SLOT}`` templates into literals and word pools, so filling one is a join."""
    out: list[Template] = []
    for text in templates:
        parts = re.split(r"\{([A-Z]+)\}", text)
        # "{L}" is not a pool: it marks where a link goes (see _fill).
        out.append(tuple(
            ("{L}" if p == "L" else POOLS[p]) if i % 2 else p for i, p in enumerate(parts) if p
        ))
    return tuple(out)


MIXED = _compile((
    "{KT} {ADJ} {KN} {KO} {ADV} {P}.",
    "{ET} {KG} {KN} {KI} {ADV} {P}.",
    "{C} {KS} {ADV} {P}.",
    "{TO} 쓰면 {KS} {ADV} {P}.",
    "{KT} {E} 관점에서 {KO} {P}.",
    "{E} → {E} → {E} 의 spectrum 에서 {KN}, {KN}, {E} 요구에 맞춰 선택.",
    "{KG} {KN} {E} 에 따라 {KS} {P}.",
    "{C} {EO} {ADV} 적용하면 {KS} {P}.",
    "{KT} {T}, {T}, {T} 같은 도구로 {ADV} {P}.",
    "**{E}** 는 {KO} {ADV} {P}.",
    "{KS} {N}ms 를 넘으면 {EO} 고려해야 한다.",
    "p99 {KS} {N}ms 이하로 유지되도록 {EO} 조정한다.",
    "{TT} {E} 기준으로 {KO} {P}.",
    "{E} + {E} 조합이 {ADJ} {KG} 기본값.",
    "{KA} {KS} 섞이면 {E} 가 {P}.",
    "{C} {E} 없이 {KO} 늘리면 {KS} {P}.",
    "{T} 에서는 {EO} {ADV} 설정해야 한다.",
    "{KT} 팀 규모, 도메인 복잡도, {E} 요구에 맞춰 선택.",
    "**{KN}**: {E} 기반 {KN}, {ADV} {P}.",
    "{ES} {PCT} 이상이면 {KE} {E} 를 추가한다.",
))

ENGLISH = _compile((
    "{E} trades {E} for {E}.",
    "Use {E} when {E} dominates {E}.",
    "In practice, {T} handles {E} well, but {E} needs care.",
    "The default is {E} + {T} + {T}.",
    "Prefer {E} over {E} unless {E} is critical.",
    "{E} reduces {E} by roughly {PCT} in our measurements.",
    "Without {E}, {E} turns into {E} under load.",
    "Start with {E}; split into {E} only when {E} hurts.",
    "Measure {E} at p99, not the mean.",
    "{T} ships {E} out of the box, so {E} is mostly configuration.",
    "Check it with `{CMD}` before touching {E}.",
))

KOREAN = _compile((
    "{KT} {KO} 설계하고 구성하는 {KO} 의미합니다.",
    "{KS} 증가해도 {KS} 유지되도록 설계",
    "{KO} 여러 {KE} 분산하여 {KO} 줄이는 역할",
    "{KO} {ADV} 처리하는 {ADJ} {KN}",
    "{ADJ} {KN} 변경 시 전체 {KO} 다시 {P}.",
    "{KG} {KN} 유지가 어려움",
    "{KO} 활용하여 {ADV} 처리를 함",
    "{KS} 발생하면 특정 {KL} 이를 처리하는 방식",
    "{KT} {KG} {KN} {KO} 결정하는 {ADJ} 요소입니다.",
    "{KE} 따라 {KS} {P}.",
))

LINKED = _compile((
    "자세한 내용은 {L} 참고.",
    "{L} 와 함께 보면 {KS} {ADV} {P}.",
    "See {L} for the {E} details.",
    "{KT} {L} 의 {E} 를 그대로 따른다.",
    "{L} 에서 설명한 {EO} {KE} 적용한다.",
    "{E} 는 {L} 의 특수한 경우다.",
    "{C} {L} 없이 {KO} 설계하면 {KS} {P}.",
    "Compare with {L}: {E} vs {E}.",
    "{L} 관점에서 {KT} {ADV} {P}.",
    "→ {L}",
))

HEADINGS = _compile((
    "매 {EH}", "{KN} 설계", "{T} 설정", "{EH} trade-offs", "{KN} 전략", "{EH} vs {EH}",
    "{KG} 역할", "{KN} 최적화", "📌{D}️⃣ {KG} 개념", "운영 체크리스트", "Key metrics", "매 응용",
    "매 layer", "매 archetype", "Edge cases", "{KN} 흐름", "When to use {EH}", "{TA} {T}",
    "Failure modes", "{KN} 구성 요소", "{EH} 도입 기준", "{KG} 한계",
))

PITHY = _compile((
    "매 {E} 는 {E} 의 명시화", "{E} 먼저, {E} 나중", "{KT} {E} 의 문제다",
    "측정하지 않으면 {E} 도 없다", "{E} 는 공짜가 아니다", "{KO} 줄이는 것이 {KN} 설계의 전부",
))

CHANGES = _compile((
    "Phase 1", "Phase 2", "Manual cleanup — {E} & {E}", "링크 정리", "출처 추가 ({T} docs)",
    "{KN} 섹션 보강", "Graph 관계 업데이트", "중복 노트 병합 검토", "초안 작성",
    "Re-verified against {T} docs", "오탈자 수정", "{E} 예제 추가",
))


def _fill(rng: random.Random, template: Template, link: str = "") -> str:
    choice = rng.choice
    text = "".join(p if isinstance(p, str) else choice(p) for p in template)
    return text.replace("{L}", link) if link else text


def _pick_template(rng: random.Random, groups: Sequence[tuple[Template, ...]]) -> Template:
    return rng.choice(groups[bisect.bisect_right(_GROUP_CUM, rng.random())])


_GROUP_CUM = (0.55, 0.78)  # MIXED 55%, ENGLISH 23%, KOREAN 22%
_GROUPS = (MIXED, ENGLISH, KOREAN)


def sentence(rng: random.Random) -> str:
    """One Korean/English sentence in the style of the seeds."""
    return _fill(rng, _pick_template(rng, _GROUPS))


# -------------------------------------------------------------------------------- YAML

_PLAIN = re.compile(r"[A-Za-z가-힣][A-Za-z0-9가-힣 ._/()+'&-]*[A-Za-z0-9가-힣.)+]|[A-Za-z가-힣]")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def yaml_str(text: str) -> str:
    """A YAML scalar that loads back as exactly ``text`` (plain when safe, else double-quoted)."""
    if _PLAIN.fullmatch(text) and text.lower() not in _YAML_WORDS:
        return text
    return json.dumps(text, ensure_ascii=False)


def _yaml_list(rng: random.Random, key: str, items: Sequence[str], allow_str: bool) -> list[str]:
    if allow_str and len(items) == 1 and rng.random() < 0.1:
        return [f"{key}: {yaml_str(items[0])}"]
    if items and rng.random() < 0.2:
        return [f"{key}:", *(f"  - {yaml_str(i)}" for i in items)]
    return [f"{key}: [{', '.join(yaml_str(i) for i in items)}]"]


# --------------------------------------------------------------------------------- plan


@dataclass(slots=True)
class _Plan:
    index: int
    title: str
    folder: str
    filename: str
    headings: list[str]
    target_bytes: int
    aliases: list[str]
    note_id: str
    role: str = "normal"  # normal | flat | dup-declared | dup-silent | template
    twin: int = -1  # the other note of a planted duplicate pair

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.filename}"


@dataclass(frozen=True, slots=True)
class GenStats:
    """What ``generate`` wrote. Paths are POSIX strings relative to ``out``."""

    out: Path
    notes: int
    bytes: int
    links: int
    unresolved_links: int
    embeds: int
    duplicates: list[tuple[str, str]]  # (original, planted near-duplicate)
    declared_duplicates: int
    flattened: list[str]
    assets: int

    @property
    def megabytes(self) -> float:
        return self.bytes / 1_000_000


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|#^\[\]]')


class _Titles:
    """Unique titles (case-insensitive), each with a Korean and an English alias candidate."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def add(self, title: str) -> bool:
        key = title.lower()
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def make(self) -> tuple[str, str | None, str | None]:
        rng = self.rng
        for attempt in range(40):
            tech = rng.choice(TITLE_TECH)
            concept, ko = rng.choice(TITLE_CONCEPTS)
            r = rng.random()
            ko_alias: str | None = None
            en_alias: str | None = None
            if r < 0.45:
                title, ko_alias = f"{tech} {concept}", f"{tech} {ko}"
            elif r < 0.57:
                title, ko_alias = f"{concept} in {tech}", f"{tech}의 {ko}"
            elif r < 0.75:
                title, en_alias = f"{tech} {ko}", f"{tech} {concept} Notes"
            elif r < 0.83:
                suffix = rng.choice(("정리", "개요", "노트", "심화", "실전"))
                title, en_alias = f"{ko} {suffix}", f"{concept} Notes"
            elif r < 0.90:
                other = rng.choice(TITLE_TECH)
                if other == tech:
                    continue
                title, en_alias = f"{tech} vs {other}", f"{other} vs {tech}"
            else:
                kind = rng.choice(("Patterns", "Checklist", "Basics", "Deep Dive", "Cheatsheet"))
                title, ko_alias = f"{concept} {kind}", f"{ko} {kind}"
            if attempt >= 30:
                title = f"{title} ({attempt})"
            if self.add(title):
                return title, ko_alias, en_alias
        raise RuntimeError("title space exhausted")  # pragma: no cover - 40 tries with suffixes


def _zipf_cum(n: int, s: float) -> list[float]:
    cum: list[float] = []
    total = 0.0
    for rank in range(1, n + 1):
        total += 1.0 / rank**s
        cum.append(total)
    return cum


def _headings(rng: random.Random, count: int) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        h = _fill(rng, rng.choice(HEADINGS))
        if h not in out:
            out.append(h)
    return out


def _plan(n: int, seed: int) -> tuple[list[_Plan], list[str]]:
    """Decide titles, folders, file names, headings, roles and aliases for all notes.

    Returns the plans and the pool of "wanted" titles that no note has (unresolved targets).
    """
    rng = random.Random(f"kgwiki-gen:{seed}:plan")
    titles = _Titles(rng)
    n_hubs = min(len(HUBS), max(1, n // 25))
    folder_names = [f for f, _ in FOLDERS]
    folder_cum = list(_accumulate([w for _, w in FOLDERS]))
    rows: list[tuple[str, str | None, str | None, str]] = []
    for i in range(n):
        if i < n_hubs:
            title, ko_alias, en_alias = HUBS[i]
            titles.add(title)
            folder = "10_Wiki/Topics"
        else:
            title, ko_alias, en_alias = titles.make()
            folder = folder_names[bisect.bisect_right(folder_cum, rng.random() * folder_cum[-1])]
        rows.append((title, ko_alias, en_alias, folder))

    # Roles: flattened and planted duplicates come from the non-hub notes.
    n_flat = round(n * FLATTEN_RATE) or (1 if n >= 100 else 0)
    n_dup = round(n * DUPLICATE_RATE) or (2 if n >= 50 else 0)
    pool = list(range(n_hubs, n))
    n_dup = min(n_dup, max(0, (len(pool) - n_flat) // 2))
    chosen = rng.sample(pool, n_flat + n_dup) if pool else []
    flat_set = chosen[:n_flat]
    dup_list = chosen[n_flat:]
    taken = set(chosen)
    originals = rng.sample([i for i in range(n) if i not in taken], n_dup) if n_dup else []
    role = ["normal"] * n
    twin = [-1] * n
    for i in flat_set:
        role[i] = "flat"
    for k, (d, o) in enumerate(zip(dup_list, originals, strict=True)):
        role[d] = "dup-declared" if k % 2 == 0 else "dup-silent"
        twin[d], twin[o] = o, d
        base = rows[o][0]
        for form in ("{} — 정리", "{} Notes", "{} (요약)", "Notes on {}", "{} 다시 보기",
                     "{} Overview", "{} — rewrite"):
            title = form.format(base)
            if titles.add(title):
                break
        else:  # pragma: no cover - seven distinct forms of a unique title
            title = f"{base} ({d})"
            titles.add(title)
        rows[d] = (title, None, None, rows[o][3] if rng.random() < 0.5 else rows[d][3])

    # File names: slug or title (Obsidian style), and a few repeated names in other folders.
    repeated: dict[int, str] = {}
    if n >= 60:
        used_pairs: list[tuple[str, str]] = []
        for name in ("index.md", "index.md", "index.md", "overview.md", "overview.md"):
            for _ in range(20):
                i = rng.randrange(n_hubs, n)
                folder = rows[i][3]
                if role[i] != "normal" or twin[i] >= 0 or i in repeated:
                    continue
                if (folder, name) in used_pairs:
                    continue
                leaf = folder.rsplit("/", 1)[-1].capitalize()
                title = f"{leaf} {'Index' if name == 'index.md' else 'Overview'}"
                if titles.add(title):
                    rows[i] = (title, None, None, folder)
                repeated[i] = name
                used_pairs.append((folder, name))
                break
    stems: set[str] = set()
    plans: list[_Plan] = []
    date0 = dt.date(2026, 1, 1).toordinal()
    for i, (title, _, _, folder) in enumerate(rows):
        if i in repeated:
            filename = repeated[i]
        else:
            slug = _slug(title)
            korean = not slug or any("가" <= c <= "힣" for c in title)
            use_title = (korean or rng.random() < 0.4) and not _UNSAFE_NAME.search(title)
            stem = title if use_title or not slug else slug
            if stem.lower() in stems or (
                    stem.lower() in titles.seen and stem.lower() != title.lower()):
                stem = f"{slug or 'note'}-{i}"
            stems.add(stem.lower())
            filename = f"{stem}.md"
        day = dt.date.fromordinal(date0 + rng.randrange(365))
        note_id = f"wiki-2026-{day:%m%d}-{_slug(title) or 'note'}-{i}"
        target = int(rng.lognormvariate(math.log(MEAN_NOTE_BYTES) - 0.5 * 0.45**2, 0.45))
        plans.append(_Plan(
            index=i, title=title, folder=folder, filename=filename,
            headings=_headings(rng, rng.randint(3, 6)),
            target_bytes=max(1500, min(30000, target)),
            aliases=[], note_id=note_id, role=role[i], twin=twin[i],
        ))
    for d in dup_list:  # a near-duplicate keeps the original's headings (it is a rewording)
        plans[d].headings = list(plans[twin[d]].headings)

    # Aliases (~30%): never a title, a file name or another note's alias.
    taken_names = titles.seen | stems
    for i, (_, ko_alias, en_alias, _) in enumerate(rows):
        rate = 0.8 if i < n_hubs else ALIAS_RATE
        if rng.random() >= rate:
            continue
        for alias in (ko_alias, en_alias):
            if alias and alias.lower() not in taken_names:
                taken_names.add(alias.lower())
                plans[i].aliases.append(alias)

    wanted: list[str] = []
    for _ in range(max(3, n // 40) * 4):
        if len(wanted) >= max(3, n // 40):
            break
        concept, ko = rng.choice(TITLE_CONCEPTS)
        tech = rng.choice(TITLE_TECH)
        form = rng.choice(("{t} {c} FAQ", "{t} Migration Notes", "{k} 체크리스트",
                           "{c} Cheatsheet", "{t} {k} 회고"))
        cand = form.format(t=tech, c=concept, k=ko)
        if cand.lower() not in taken_names:
            taken_names.add(cand.lower())
            wanted.append(cand)
    return plans, wanted


def _accumulate(weights: Sequence[int]) -> list[int]:
    out: list[int] = []
    total = 0
    for w in weights:
        total += w
        out.append(total)
    return out


# ------------------------------------------------------------------------------ render


@dataclass(slots=True)
class _Body:
    """A note's content as sections, so a planted duplicate can reorder and reword it."""

    summary: list[str]
    core: list[tuple[str, list[str]]]
    before_graph: list[tuple[str, list[str]]]
    graph: list[str]
    after_graph: list[tuple[str, list[str]]]
    tags: list[str]
    links: int
    unresolved: int
    embeds: int


class _Context:
    """Everything a note needs to know about the others: titles, popularity, headings."""

    def __init__(self, plans: list[_Plan], wanted: list[str]) -> None:
        self.plans = plans
        self.n = len(plans)
        self.cum = _zipf_cum(self.n, ZIPF_S)
        self.wanted = wanted
        self.wanted_cum = _zipf_cum(len(wanted), 1.0)
        self.by_folder: dict[str, list[int]] = {}
        for p in plans:
            self.by_folder.setdefault(p.folder, []).append(p.index)
        self.tag_cum = _zipf_cum(len(TAGS), 0.8)

    def _zipf(self, rng: random.Random, cum: list[float]) -> int:
        return min(len(cum) - 1, bisect.bisect_right(cum, rng.random() * cum[-1]))

    def target(self, rng: random.Random, src: int, used: list[int], mode: str) -> int:
        """A note index to link to from ``src``, or -1 for an unresolved (wanted) page."""
        if rng.random() < UNRESOLVED_RATE:
            return -1
        twin = self.plans[src].twin
        j = -1
        for attempt in range(12):
            r = rng.random()
            if mode == "parent" or r < 0.55:
                j = self._zipf(rng, self.cum)
            elif r < 0.8:
                j = rng.choice(self.by_folder[self.plans[src].folder])
            else:
                j = rng.randrange(self.n)
            if j != src and j != twin and (j not in used or attempt > 8):
                used.append(j)
                return j
        return -1

    def link(self, rng: random.Random, src: int, used: list[int], plain: bool) -> tuple[str, int]:
        """Link markup and the target index (-1 when unresolved)."""
        j = self.target(rng, src, used, "body")
        if j < 0:
            title = self.wanted[self._zipf(rng, self.wanted_cum)]
            if not plain and rng.random() < 0.15:
                return f"[[{title}|{rng.choice(EN_TERMS)}]]", -1
            return f"[[{title}]]", -1
        p = self.plans[j]
        r = 0.0 if plain else rng.random()
        if r < 0.72:
            return f"[[{p.title}]]", j
        if r < 0.84 or p.role == "flat":
            return f"[[{p.title}|{rng.choice(LABELS)}]]", j
        heading = rng.choice(p.headings)
        if r < 0.96:
            return f"[[{p.title}#{heading}]]", j
        return f"[[{p.title}#{heading}|{rng.choice(KO_NOUNS)}]]", j

    def tags(self, rng: random.Random) -> list[str]:
        out: list[str] = []
        for _ in range(rng.randint(2, 6) * 3):
            t = TAGS[self._zipf(rng, self.tag_cum)]
            if t not in out:
                out.append(t)
            if len(out) >= 6 or (len(out) >= 2 and rng.random() < 0.3):
                break
        return out


def _size(lines: Sequence[str]) -> int:
    return sum(len(line.encode()) + 1 for line in lines)


def _block(rng: random.Random, links: list[str], tags: list[str], short: bool = False
           ) -> list[str]:
    """One paragraph or list; takes up to two links from ``links`` (three when ``short``)."""
    take = min(len(links), 3 if short else rng.choice((0, 0, 1, 1, 2)))
    linked = [_fill(rng, rng.choice(LINKED), links.pop()) for _ in range(take)]
    r = rng.random()
    count = rng.randint(0, 1) if short else rng.randint(2, 5)
    sents = [sentence(rng) for _ in range(count)]
    for s in linked:
        sents.insert(rng.randrange(len(sents) + 1), s)
    if not sents:
        sents.append(sentence(rng))
    if tags and rng.random() < 0.08:
        sents[-1] = f"{sents[-1]} #{rng.choice(tags)}"
    if r < 0.33:
        return [" ".join(sents)]
    if r < 0.63:
        return [f"- {s}" for s in sents]
    if r < 0.8:
        return [f"- **{rng.choice(EN_TERMS)}**: {s}" for s in sents]
    if r < 0.88:
        return [f"{k}. {s}" for k, s in enumerate(sents, 1)]
    if r < 0.95:
        out = [f"- {sents[0]}"]
        out += [f"    - {s}" for s in sents[1:]]
        return out
    return [f"> {' '.join(sents)}"]


def _code_block(rng: random.Random) -> list[str]:
    name = rng.choice(("api", "worker", "ingest", "billing", "search", "gateway", "orders"))
    num = rng.choice(POOLS["N"])
    kind = rng.randrange(8)
    if kind == 0:
        body = ["# k8s deployment", "apiVersion: apps/v1", "kind: Deployment", "spec:",
                f"  replicas: {rng.randint(2, 12)}", "  template:", "    spec:",
                "      containers:", f"        - name: {name}",
                f"          image: {name}:v1.{rng.randint(0, 60)}",
                "          readinessProbe:", "            httpGet: { path: /ready, port: 8080 }",
                f"          resources: {{ requests: {{ cpu: {num}m, memory: 512Mi }} }}"]
        lang = "yaml"
    elif kind == 1:
        field = rng.choice(("user_id", "order_id", "tenant", "ts", "event_type"))
        body = [f"def handle_{name}(event: dict) -> None:",
                f'    key = event["{field}"]',
                "    if cache.get(key):  # idempotency: already processed",
                "        return",
                f'    frame = df[["{field}", "payload"]]',
                f"    publish(\"{name}.processed\", frame.to_dict())",
                f"    cache.set(key, 1, ttl={num})"]
        if rng.random() < 0.5:  # the pandas [[...]] is not a wiki-link
            del body[4:6]
        lang = "python"
    elif kind == 2:
        cls = name.capitalize() + "Service"
        body = [f"class {cls} {{",
                "  constructor(private writeDb: Pool, private readDb: Pool) {}",
                f"  async create(o: {name.capitalize()}) {{",
                "    return this.writeDb.tx(async (tx) => {",
                f'      await tx.insert("{name}", o);',
                f'      await tx.publish("{name}.created", o);', "    });", "  }", "}"]
        lang = "typescript"
    elif kind == 3:
        body = [f"sem := make(chan struct{{}}, {num}) // max in-flight",
                'http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {',
                "\tselect {", "\tcase sem <- struct{}{}:", "\t\tdefer func() { <-sem }()",
                "\t\thandle(w, r)", "\tdefault:", '\t\thttp.Error(w, "busy", 503)', "\t}",
                "})"]
        lang = "go"
    elif kind == 4:
        body = ["BEGIN;", f"INSERT INTO {name} (...) VALUES (...);",
                f"INSERT INTO outbox (topic, payload) VALUES ('{name}.created', $1);", "COMMIT;",
                "-- separate poller publishes outbox → kafka, then deletes",
                f"CREATE INDEX CONCURRENTLY idx_{name}_created ON {name} (created_at);"]
        lang = "sql"
    elif kind == 5:
        body = [f"# rollout {name}", f"kubectl -n {name} rollout status deploy/{name}",
                f"helm upgrade --install {name} ./charts/{name} --set replicas={num}",
                f"curl -sf http://{name}.internal:8080/healthz || exit 1"]
        lang = "bash"
    elif kind == 6:
        body = [f"Customer A → Cell-1 (LB, {name}, DB shard)",
                f"Customer B → Cell-2 (LB, {name}, DB shard)",
                "Customer C → Cell-1", "# Cell failure blast radius = 1 cell only"]
        lang = ""
    else:
        body = ["{", f'  "service": "{name}",', f'  "timeoutMs": {num},',
                f'  "retries": {rng.randint(0, 5)},', '  "backoff": "exponential",', "}"]
        lang = "json"
    return [f"```{lang}", *body, "```"]


def _table(rng: random.Random, links: list[str]) -> list[str]:
    head = rng.choice((("상황", "Approach"), ("기준", "선택"), ("Option", "장점", "단점"),
                       ("항목", "값")))
    lines = [f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for _ in range(rng.randint(3, 6)):
        cells = [_fill(rng, rng.choice(KOREAN)).rstrip(".")[:60]]
        for _ in head[1:]:
            if links and rng.random() < 0.4:
                cells.append(links.pop().replace("|", "\\|"))  # markdown-it splits on a bare |
            else:
                cells.append(rng.choice(EN_TERMS))
        lines.append(f"| {' | '.join(cells)} |")
    lines.append(f"**기본값**: {rng.choice(EN_TERMS)} + {rng.choice(EN_TOOLS)}. {sentence(rng)}")
    return lines


def _extras(rng: random.Random, links: list[str], title: str
            ) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    before: list[tuple[str, list[str]]] = []
    after: list[tuple[str, list[str]]] = []
    if rng.random() < 0.25:
        lines: list[str] = []
        for k in range(1, rng.randint(1, 3) + 1):
            lines += [f"### {k}. {rng.choice(EN_HEADING_TERMS).capitalize()}"]
            if rng.random() < 0.5:
                lines += [sentence(rng)]
            lines += [*_code_block(rng), ""]
        before.append(("💻 패턴", lines[:-1]))
    if rng.random() < 0.3:
        before.append(("매 결정 기준", _table(rng, links)))
    if rng.random() < 0.2:
        after.append(("🤖 LLM 활용", [f"**언제**: {sentence(rng)}", "",
                                     f"**언제 X**: {sentence(rng)}"]))
    if rng.random() < 0.4:
        after.append(("❌ 안티패턴", [f"- **{rng.choice(EN_PHRASES).capitalize()}**: "
                                    f"{sentence(rng)}" for _ in range(rng.randint(3, 5))]))
    if rng.random() < 0.5:
        tools = ", ".join(rng.sample(EN_TOOLS, 2))
        after.append(("🧪 검증 / 중복", [f"- Verified ({tools} docs, {title}).",
                                       f"- 신뢰도 {rng.choice('ABCDE')}."]))
    return before, after


def _render_body(rng: random.Random, ctx: _Context, plan: _Plan, budget: int,
                 tags: list[str]) -> _Body:
    i = plan.index
    used: list[int] = []
    n_links = rng.randint(8, 15)
    unresolved = 0

    def graph_links(count: int, mode: str) -> list[str]:
        nonlocal unresolved
        out: list[str] = []
        for _ in range(count):
            j = ctx.target(rng, i, used, mode)
            if j < 0:
                unresolved += 1
                out.append(f"[[{ctx.wanted[ctx._zipf(rng, ctx.wanted_cum)]}]]")
            else:
                out.append(f"[[{ctx.plans[j].title}]]")
        return out

    parents = graph_links(rng.randint(1, 2), "parent")
    variants = graph_links(rng.choice((0, 1, 1, 2, 3)), "body")
    adjacent = graph_links(rng.randint(1, 3), "body")
    graph = [f"- 부모: {' · '.join(parents)}"]
    if variants:
        graph.append(f"- 변형: {' · '.join(variants)}")
    graph.append(f"- {'관련' if rng.random() < 0.1 else 'Adjacent'}: {' · '.join(adjacent)}")

    body_links: list[str] = []
    for _ in range(max(1, n_links - len(parents) - len(variants) - len(adjacent))):
        markup, j = ctx.link(rng, i, used, plain=False)
        unresolved += j < 0
        body_links.append(markup)
    total_links = len(body_links) + len(parents) + len(variants) + len(adjacent)

    summary = [f'> **"{_fill(rng, rng.choice(PITHY))}"**. {sentence(rng)} {sentence(rng)}']
    before, after = _extras(rng, body_links, plan.title)
    fixed = _size(summary) + _size(graph) + sum(_size(ls) + 20 for _, ls in before + after)
    per_section = max(160, (budget - fixed) // len(plan.headings))
    embeds = rng.choice((0, 0, 0, 0, 1, 1, 2)) if rng.random() < 0.4 else 0
    inline_tags = tags if rng.random() < 0.3 else []
    core: list[tuple[str, list[str]]] = []
    n_sec = len(plan.headings)
    for s, heading in enumerate(plan.headings):
        share = len(body_links) // (n_sec - s) if s < n_sec - 1 else len(body_links)
        mine = [body_links.pop() for _ in range(share)]
        lines: list[str] = []
        used_bytes = 0
        # Stop about half a block early so sections do not overshoot on average.
        while used_bytes < per_section - 180 or mine:
            block = _block(rng, mine, inline_tags, short=used_bytes >= per_section - 180)
            lines += [*block, ""]
            used_bytes += _size(block) + 1
        if embeds and rng.random() < 0.5:
            k = rng.randint(1, ASSET_COUNT)
            lines += [f"![[diagram-{k}.svg{'|400' if rng.random() < 0.3 else ''}]]", ""]
            embeds -= 1
        core.append((heading, lines[:-1]))
    embeds_done = sum(1 for _, ls in core for line in ls if line.startswith("![["))
    return _Body(summary, core, before, graph, after, tags, total_links, unresolved, embeds_done)


@dataclass(slots=True)
class _Meta:
    status: str
    trust: str
    confidence: float
    verification: str
    sources: list[str]
    changelog: list[tuple[str, str]]
    extra: list[str]


def _meta(rng: random.Random) -> _Meta:
    status = rng.choices(("verified", "draft", "stale"), (50, 35, 15))[0]
    trust = rng.choices("ABCDE", (25, 30, 25, 12, 8))[0]
    lo, hi = {"A": (0.85, 0.98), "B": (0.7, 0.9), "C": (0.5, 0.75), "D": (0.3, 0.55),
              "E": (0.1, 0.35)}[trust]
    verification = rng.choice({"verified": ("applied", "verified"),
                               "draft": ("pending", "unverified"),
                               "stale": ("applied", "pending", "disputed")}[status])
    sources = [] if rng.random() < 0.4 else rng.sample(SOURCES, rng.randint(1, 3))
    # Stale notes were last reinforced long ago; the rest mostly in 2025–2026.
    if status == "stale" or rng.random() < 0.1:
        last = dt.date(2024, 1, 1).toordinal() + rng.randrange(540)
    else:
        last = dt.date(2025, 1, 1).toordinal() + rng.randrange(545)
    days = [last]
    for _ in range(rng.randint(1, 4) - 1):
        days.append(days[-1] - rng.randint(2, 120))
    changelog = [(dt.date.fromordinal(d).isoformat(), _fill(rng, rng.choice(CHANGES)))
                 for d in reversed(days)]
    extra: list[str] = []
    if rng.random() < 0.15:
        extra.append(f'date: "{dt.date.fromordinal(days[-1]).isoformat()}"')
    if rng.random() < 0.1:
        extra.append("github_commit: pending")
    if rng.random() < 0.05:
        extra += ["tech_stack:", f"  language: {rng.choice(('polyglot', 'python', 'go'))}",
                  f"  framework: {rng.choice(('cloud-native', 'django', 'spring'))}"]
    return _Meta(status, trust, round(rng.uniform(lo, hi), 2), verification, sources,
                 changelog, extra)


def _frontmatter(rng: random.Random, plan: _Plan, meta: _Meta, tags: list[str],
                 dup_of: _Plan | None) -> list[str]:
    lines = ["---", f"id: {plan.note_id}", f"title: {yaml_str(plan.title)}",
             f"category: {plan.folder}"]
    if plan.aliases:
        lines += _yaml_list(rng, "aliases", plan.aliases, allow_str=True)
    elif rng.random() < 0.3:
        lines.append("aliases: []")
    lines += [f"status: {meta.status}",
              f"canonical_id: {dup_of.note_id if dup_of else 'self'}",
              f"duplicate_of: {yaml_str(dup_of.title) if dup_of else 'none'}",
              f"source_trust_level: {meta.trust}",
              f"confidence_score: {meta.confidence:.2f}",
              f"verification_status: {meta.verification}"]
    lines += _yaml_list(rng, "tags", tags, allow_str=True)
    if meta.sources:
        lines += ["raw_sources:", *(f"  - {yaml_str(s)}" for s in meta.sources)]
    else:
        lines.append("raw_sources: []")
    lines.append(f"last_reinforced: {meta.changelog[-1][0]}")
    lines += meta.extra
    lines.append("---")
    return lines


def _assemble(front: list[str], title: str, body: _Body, changelog: list[tuple[str, str]]
              ) -> str:
    out = [*front, "", f"# {title}", "", "## 매 한 줄", *body.summary, "", "## 매 핵심", ""]
    for heading, lines in body.core:
        out += [f"### {heading}", *lines, ""]
    for heading, lines in body.before_graph:
        out += [f"## {heading}", *lines, ""]
    out += ["## 🔗 Graph", *body.graph, ""]
    for heading, lines in body.after_graph:
        out += [f"## {heading}", *lines, ""]
    out += ["## 🕓 Changelog", "| 날짜 | 변경 |", "|---|---|"]
    out += [f"| {d} | {c} |" for d, c in changelog]
    return "\n".join(out) + "\n"


def flatten(text: str) -> str:
    """Join every line with single spaces, as the seed server-architecture.md was mangled."""
    return " ".join(s for s in (line.strip() for line in text.splitlines()) if s)


# ------------------------------------------------------------------------ duplicates

_LIST_PREFIX = re.compile(r"^(\s*(?:[-*>]|\d+\.)\s+(?:\*\*[^*]+\*\*:?\s*)?)?(.*)$")


def _swap_terms(rng: random.Random, text: str) -> str:
    start = rng.randrange(len(TERM_SWAPS))
    for k in range(len(TERM_SWAPS)):
        ko, en = TERM_SWAPS[(start + k) % len(TERM_SWAPS)]
        if ko in text:
            return re.sub(r"\s{2,}", " ", text.replace(ko, f" {en} ", 1)).strip()
        m = re.search(rf"\b{re.escape(en)}\b", text, flags=re.IGNORECASE)
        if m:
            return text[:m.start()] + ko + text[m.end():]
    return text


def _reword(rng: random.Random, line: str) -> str:
    m = _LIST_PREFIX.match(line)
    prefix, text = (m.group(1) or "", m.group(2)) if m else ("", line)
    r = rng.random()
    if r < 0.35:
        swapped = _swap_terms(rng, text)
        if swapped != text:
            return prefix + swapped
    elif r < 0.6:
        parts = [p for p in re.split(r"(?<=[.!?])\s+", text) if p]
        if len(parts) > 1:
            k = rng.randrange(1, len(parts))
            return prefix + " ".join(parts[k:] + parts[:k])
    return prefix + sentence(rng)


def _reword_lines(rng: random.Random, lines: list[str], rate: float) -> list[str]:
    out = list(lines)
    fence = False
    for k, line in enumerate(out):
        if line.startswith("```"):
            fence = not fence
            continue
        if (fence or not line.strip() or line.startswith(("#", "|", "![[", "**")) or "[[" in line
                or rng.random() >= rate):
            continue
        out[k] = _reword(rng, line)
        nxt = k + 1
        if (nxt < len(out) and out[nxt].startswith("- ") and line.startswith("- ")
                and "[[" not in out[nxt] and rng.random() < 0.3):
            out[k], out[nxt] = out[nxt], out[k]  # reorder two bullets
    return out


def _near_duplicate(rng: random.Random, orig: _Body) -> _Body:
    """Reword ~10–20% of the lines, reorder sections, swap some Korean/English terms."""
    rate = rng.uniform(0.10, 0.20)
    core = [(h, _reword_lines(rng, ls, rate)) for h, ls in orig.core]
    for _ in range(rng.randint(1, 2)):
        if len(core) > 1:
            a, b = rng.sample(range(len(core)), 2)
            core[a], core[b] = core[b], core[a]
    before = [(h, _reword_lines(rng, ls, rate)) for h, ls in orig.before_graph]
    after = [(h, _reword_lines(rng, ls, rate)) for h, ls in orig.after_graph]
    if after and rng.random() < 0.5:
        before.append(after.pop(rng.randrange(len(after))))
    rng.shuffle(after)
    graph = list(orig.graph)
    if len(graph) > 1 and rng.random() < 0.5:
        graph[0], graph[-1] = graph[-1], graph[0]
    tags = list(orig.tags)
    if len(tags) > 2 and rng.random() < 0.5:
        tags.pop(rng.randrange(len(tags)))
    rng.shuffle(tags)
    summary = _reword_lines(rng, orig.summary, 0.5)
    return _Body(summary, core, before, graph, after, tags, orig.links, orig.unresolved,
                 orig.embeds)


# ------------------------------------------------------------------------------ write

_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90" viewBox="0 0 160 90">'
        '<rect x="4" y="4" width="64" height="36" rx="6" fill="#{c1}"/>'
        '<rect x="92" y="50" width="64" height="36" rx="6" fill="#{c2}"/>'
        '<path d="M68 22 L92 68" stroke="#333" stroke-width="2"/>'
        '<text x="8" y="26" font-size="11">diagram {k}</text></svg>\n')


def template_note(rng: random.Random, plan: _Plan) -> str:
    """A note made from the People template: boilerplate, one shared alias, its own filling."""
    filling = [sentence(rng) for _ in range(rng.randint(2, 4))]
    lines = ["---", f"id: {plan.note_id}", f"title: {yaml_str(plan.title)}",
             f"aliases: [{TEMPLATE_ALIAS}, \"{{{{alias}}}}\"]", "tags: [people]", "---", "",
             f"# {plan.title}", "", "## Profile", *TEMPLATE_LINES[:5], "",
             "## About", *filling, "", "## Notes", *TEMPLATE_LINES[5:],
             f"See also [[{TEMPLATE_ALIAS}]] and the created date {{{{date}}}}.", ""]
    return "\n".join(lines)


def _templated(plans: Sequence[_Plan], share: float, seed: int) -> None:
    """Mark ``share`` of the ordinary notes (never a duplicate's twin) as template-made."""
    if not 0.0 <= share <= 1.0:
        raise ValueError("template share must be between 0 and 1")
    eligible = [p for p in plans if p.role == "normal" and p.twin < 0]
    count = min(len(eligible), round(share * len(plans)))
    for plan in random.Random(f"kgwiki-gen:{seed}:template").sample(eligible, count):
        plan.role = "template"


def _prepare(out: Path) -> None:
    """Create ``out``; replace a previous generated vault, never anything else."""
    if out.exists():
        if not out.is_dir():
            raise FileExistsError(f"{out} exists and is not a directory")
        if any(out.iterdir()):
            if not (out / MANIFEST).is_file():
                raise FileExistsError(f"{out} is not empty and was not made by gen_vault.py")
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def generate(n: int, out: Path, seed: int = 0,
             progress: Callable[[int, int], None] | None = None,
             template_share: float = 0.0) -> GenStats:
    """Write a synthetic vault of ``n`` notes into ``out`` and report what was planted."""
    if n < 1:
        raise ValueError("n must be at least 1")
    out = Path(out)
    plans, wanted = _plan(n, seed)
    _templated(plans, template_share, seed)
    _prepare(out)
    ctx = _Context(plans, wanted)
    for folder in ctx.by_folder:
        (out / folder).mkdir(parents=True, exist_ok=True)
    assets = out / "assets"
    assets.mkdir(exist_ok=True)
    palette = ("8ecae6", "219ebc", "ffb703", "fb8500", "90be6d", "f94144", "577590", "43aa8b")
    for k in range(1, ASSET_COUNT + 1):
        svg = _SVG.format(c1=palette[k - 1], c2=palette[-k], k=k)
        (assets / f"diagram-{k}.svg").write_bytes(svg.encode())

    originals: dict[int, _Body] = {}
    total_bytes = links = unresolved = embeds = done = 0
    flattened: list[str] = []

    def write(plan: _Plan, text: str) -> None:
        nonlocal total_bytes, done
        data = text.encode()
        (out / plan.path).write_bytes(data)
        total_bytes += len(data)
        done += 1
        if progress and (done % 100 == 0 or done == n):
            progress(done, n)

    order = [p for p in plans if not p.role.startswith("dup")]
    order += [p for p in plans if p.role.startswith("dup")]
    for plan in order:
        rng = random.Random(f"kgwiki-gen:{seed}:note:{plan.index}")
        if plan.role == "template":
            write(plan, template_note(rng, plan))
            continue
        meta = _meta(rng)
        dup_of: _Plan | None = None
        if plan.role.startswith("dup"):
            body = _near_duplicate(rng, originals[plan.twin])
            if plan.role == "dup-declared":
                dup_of = plans[plan.twin]
        else:
            tags = ctx.tags(rng)
            front_size = _size(_frontmatter(random.Random(0), plan, meta, tags, None))
            budget = plan.target_bytes - front_size - 60 - 40 * len(meta.changelog)
            body = _render_body(rng, ctx, plan, budget, tags)
            if plan.twin >= 0:
                originals[plan.index] = body
        front = _frontmatter(rng, plan, meta, body.tags, dup_of)
        text = _assemble(front, plan.title, body, meta.changelog)
        if plan.role == "flat":
            text = flatten(text)
            flattened.append(plan.path)
        links += body.links
        unresolved += body.unresolved
        embeds += body.embeds
        write(plan, text)

    pairs = [(plans[p.twin].path, p.path) for p in plans if p.role.startswith("dup")]
    manifest = {
        "generator": "scripts/gen_vault.py",
        "notes": n,
        "seed": seed,
        "duplicates": [
            {"original": plans[p.twin].path, "duplicate": p.path,
             "original_title": plans[p.twin].title, "duplicate_title": p.title,
             "declared": p.role == "dup-declared"}
            for p in plans if p.role.startswith("dup")
        ],
        "flattened": sorted(flattened),
        "unresolved_titles": wanted,
    }
    if template_share:
        manifest["templated"] = sorted(p.path for p in plans if p.role == "template")
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    return GenStats(
        out=out, notes=n, bytes=total_bytes, links=links, unresolved_links=unresolved,
        embeds=embeds, duplicates=pairs,
        declared_duplicates=sum(p.role == "dup-declared" for p in plans),
        flattened=sorted(flattened), assets=ASSET_COUNT,
    )


# -------------------------------------------------------------------------------- CLI


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("N must be a positive integer")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic kgwiki vault.")
    parser.add_argument("n", type=_positive, metavar="N", help="number of notes")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("-o", "--out", type=Path, help="output folder (default ./gen-vault-N)")
    parser.add_argument("--template-share", type=float, default=0.0, metavar="F",
                        help="share of notes made from one People template (default 0)")
    parser.add_argument("--quiet", action="store_true", help="no progress, no summary")
    args = parser.parse_args(argv)
    if not 0.0 <= args.template_share <= 1.0:
        parser.error("--template-share must be between 0 and 1")
    out: Path = args.out or Path(f"gen-vault-{args.n}")
    show = sys.stderr.isatty() and not args.quiet

    def progress(done: int, total: int) -> None:
        print(f"\r{done}/{total} notes", end="\n" if done == total else "", file=sys.stderr,
              flush=True)

    start = time.perf_counter()
    try:
        stats = generate(args.n, out, args.seed, progress if show else None,
                         args.template_share)
    except FileExistsError as exc:
        print(f"gen_vault: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - start
    if not args.quiet:
        print(f"{stats.notes} notes, {stats.megabytes:.1f} MB, {stats.links} links "
              f"({stats.unresolved_links} unresolved), {stats.embeds} embeds, "
              f"{len(stats.duplicates)} planted duplicates ({stats.declared_duplicates} declared), "
              f"{len(stats.flattened)} flattened → {out} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
