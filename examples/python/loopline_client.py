#!/usr/bin/python3
"""Submit a portrait and a speech track to a Loopline cluster and wait for the video: an upstream app in Python.

It speaks the pipeline's own wire format — Avro single-object encoding (0xC3 0x01, the schema's CRC-64-AVRO
fingerprint, the binary body) with the released schemas in schemas/src/main/resources/io/loopline/schemas/released —
through Debian's packages only:

    apt-get install python3-confluent-kafka python3-avro python3-boto3

    /usr/bin/python3 examples/python/loopline_client.py --config cluster.properties --tenant acme \\
        [--tenant-key-file acme.key] --image examples/portrait.jpg --audio examples/speech-20s.flac --out talk.mp4

cluster.properties holds the same settings every Loopline command reads (kafka.bootstrap.servers, s3.endpoint,
s3.region, s3.access.key, s3.secret.key, optionally topic.prefix and s3.bucket.inputs). docs/integrate.md walks
through it. Exit status: 0 with the video written, 2 when the pipeline refused the request (its code and sentence
on stderr), 1 on any other problem.
"""

import argparse
import base64
import datetime
import glob
import hashlib
import hmac
import io
import json
import os
import re
import sys
import time
import urllib.request
import uuid

import avro.io
import avro.schema
import boto3
from botocore.config import Config
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

RELEASED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "schemas", "src", "main",
                        "resources", "io", "loopline", "schemas", "released")
SIGNATURE_SCHEME = "loopline-request-signature-v1"

# ---- Avro single-object encoding ----

_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY if _fp & 1 else 0)
    _TABLE.append(_fp)


_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def parsing_canonical_form(schema):
    """The schema's Parsing Canonical Form. python3-avro 1.11 writes a primitive that carried attributes (such as
    {"type": "string", "avro.java.string": "String"}) as {"type":"string"}, where the specification (and Java) write
    "string"; that one step is redone here."""
    def primitives_simple(node):
        if isinstance(node, dict):
            if set(node) == {"type"} and node["type"] in _PRIMITIVES:
                return node["type"]
            return {k: primitives_simple(v) for k, v in node.items()}
        if isinstance(node, list):
            return [primitives_simple(v) for v in node]
        return node
    return json.dumps(primitives_simple(json.loads(schema.canonical_form)), separators=(",", ":"), ensure_ascii=False)


def fingerprint(schema):
    """The schema's CRC-64-AVRO fingerprint of its Parsing Canonical Form (the Avro specification's algorithm)."""
    fp = _EMPTY
    for b in parsing_canonical_form(schema).encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ b) & 0xFF]
    return fp


class Schemas:
    """Every released schema version, found by fingerprint for reading; the newest of each type for writing."""

    def __init__(self, folder=RELEASED):
        self.by_fingerprint = {}
        self.newest = {}
        for path in sorted(glob.glob(os.path.join(folder, "*.avsc")),
                           key=lambda p: (os.path.basename(p).split(".v")[0], int(re.search(r"\.v(\d+)\.avsc$", p).group(1)))):
            with open(path, encoding="utf-8") as f:
                schema = avro.schema.parse(f.read())
            self.by_fingerprint[fingerprint(schema)] = schema
            self.newest[schema.name] = schema

    def encode(self, type_name, datum):
        schema = self.newest[type_name]
        body = io.BytesIO()
        avro.io.DatumWriter(schema).write(with_defaults(schema, datum), avro.io.BinaryEncoder(body))
        return b"\xc3\x01" + fingerprint(schema).to_bytes(8, "little") + body.getvalue()

    def decode(self, type_name, data):
        if data is None or len(data) < 10 or data[:2] != b"\xc3\x01":
            raise ValueError("not an Avro single-object encoded record")
        writer = self.by_fingerprint.get(int.from_bytes(data[2:10], "little"))
        if writer is None:
            raise ValueError("written with a schema this client does not know; update its released schemas")
        reader = avro.io.DatumReader(writer, self.newest[type_name])
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(data[10:])))


def with_defaults(schema, datum):
    """The record with every field it leaves out set to the schema's default (Python's writer wants them all)."""
    if not isinstance(schema, avro.schema.RecordSchema):
        return datum
    out = {}
    for field in schema.fields:
        if field.name in datum:
            value = datum[field.name]
            out[field.name] = with_defaults(field.type, value) if isinstance(value, dict) else value
        elif field.has_default:
            out[field.name] = field.default
    return out

# ---- the request ----


def read_settings(path):
    settings = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(("#", "!")) and "=" in line:
                key, value = line.split("=", 1)
                settings[key.strip()] = value.strip()
    return settings


def upload(s3, bucket, tenant, request_id, path, what):
    """Uploads under the tenant's prefix; the reference carries the object's SHA-256 and size, which ingest checks."""
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha256(data).hexdigest()
    name = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(path))
    key = f"{tenant}/uploads/{request_id}/{what}-{name}"
    s3.put_object(Bucket=bucket, Key=key, Body=data, Metadata={"sha256": digest})
    return {"bucket": bucket, "key": key, "sha256": digest, "size": len(data)}


def signature(request, key):
    """HMAC-SHA256 under the tenant's key of the five lines docs/events.md ("Signed requests") describes."""
    def ref(r):
        return f"{r['bucket']}/{r['key']} sha256={r['sha256']} size={r['size']}"
    text = (f"{SIGNATURE_SCHEME}\ntenant={request['tenant']}\nrequest_id={request['request_id']}\n"
            f"image={ref(request['image'])}\naudio={ref(request['audio'])}\n")
    digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def submit(settings, schemas, tenant, key, image, audio, options):
    request_id = f"{int(time.time() * 1000)}-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client("s3", endpoint_url=settings["s3.endpoint"], region_name=settings.get("s3.region", "us-east-1"),
                      aws_access_key_id=settings["s3.access.key"], aws_secret_access_key=settings["s3.secret.key"],
                      config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
    bucket = settings.get("s3.bucket.inputs", "loopline-inputs")
    request = {
        "request_id": request_id,
        "tenant": tenant,
        "requested_at": datetime.datetime.now(datetime.timezone.utc),
        "image": upload(s3, bucket, tenant, request_id, image, "image"),
        "audio": upload(s3, bucket, tenant, request_id, audio, "audio"),
        "options": options,
        "signature": None,
    }
    if key is not None:
        request["signature"] = signature(request, key)
    producer = Producer({"bootstrap.servers": settings["kafka.bootstrap.servers"], "enable.idempotence": True})
    delivered = []
    producer.produce(topic(settings, "requests"), key=request_id.encode("utf-8"),
                     value=schemas.encode("GenerationRequest", request),
                     on_delivery=lambda err, msg: delivered.append(err))
    producer.flush(60)
    if delivered != [None]:
        raise RuntimeError(f"the request was not published: {delivered}")
    return request_id


def topic(settings, name):
    return settings.get("topic.prefix", "loopline.") + name


def await_outcome(settings, schemas, request_id, timeout_s):
    """The request's VideoCompleted or RequestFailed, read from the start of both topics (keys are request ids)."""
    consumer = Consumer({"bootstrap.servers": settings["kafka.bootstrap.servers"], "group.id": f"example-{request_id}",
                         "enable.auto.commit": False, "isolation.level": "read_committed"})
    names = {topic(settings, "videos.completed"): "VideoCompleted", topic(settings, "requests.failed"): "RequestFailed"}
    partitions = []
    for name in names:
        metadata = consumer.list_topics(name, timeout=30).topics[name]
        partitions += [TopicPartition(name, p, 0) for p in metadata.partitions]
    consumer.assign(partitions)
    deadline = time.time() + timeout_s
    try:
        while time.time() < deadline:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            if msg.key() != request_id.encode("utf-8"):
                continue
            return names[msg.topic()], schemas.decode(names[msg.topic()], msg.value())
    finally:
        consumer.close()
    raise TimeoutError(f"no outcome for {request_id} within {timeout_s} s")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--config", required=True, help="the cluster's settings (properties)")
    p.add_argument("--tenant", required=True)
    p.add_argument("--tenant-key-file", help="the tenant's signing key (base64), when ingest checks signatures")
    p.add_argument("--image", required=True)
    p.add_argument("--audio", required=True)
    p.add_argument("--size", type=int, help="video width and height (default: the cluster's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True, help="where to write the MP4")
    p.add_argument("--timeout", type=int, default=600, help="seconds to wait for the video")
    args = p.parse_args()

    settings = read_settings(args.config)
    schemas = Schemas()
    key = None
    if args.tenant_key_file:
        with open(args.tenant_key_file, encoding="ascii") as f:
            encoded = f.read().strip().replace("-", "+").replace("_", "/").rstrip("=")
            key = base64.b64decode(encoded + "=" * (-len(encoded) % 4))
    options = {"seed": args.seed}
    if args.size:
        options["output_size"] = args.size
    request_id = submit(settings, schemas, args.tenant, key, args.image, args.audio, options)
    print(f"submitted {request_id}", file=sys.stderr)
    kind, outcome = await_outcome(settings, schemas, request_id, args.timeout)
    if kind == "RequestFailed":
        print(f"ERROR {outcome['error_code']}: {outcome['message']}", file=sys.stderr)
        return 2
    urllib.request.urlretrieve(outcome["presigned_url"], args.out)
    print(f"Wrote {args.out}: {outcome['frame_count']} frames at {outcome['fps']} fps, request {request_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
