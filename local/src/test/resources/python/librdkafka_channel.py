"""A chat channel written the way a Python team writes one: Confluent's client (librdkafka) with
its default partitioner (consistent_random, CRC32 - not Java's murmur2), Avro values in the Schema
Registry framing, keys as plain strings or as registry-framed Avro strings.

Usage: librdkafka_channel.py BOOTSTRAP events|notifications SCHEMA_ID SCHEMA_FILE COUNT
"""
import datetime
import io
import struct
import sys

import avro.io
import avro.schema
from confluent_kafka import Producer


def framed(schema, schema_id, datum):
    """The Schema Registry wire format: magic byte 0, the schema id (4 bytes, big-endian), Avro binary."""
    out = io.BytesIO()
    out.write(struct.pack(">bI", 0, schema_id))
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    return out.getvalue()


def avro_string_key(value):
    """A key as Confluent's AvroSerializer writes a "string" key schema (schema id 1 here)."""
    return framed(avro.schema.parse('"string"'), 1, value)


def chat_events(producer, schema, schema_id, count, now):
    for i in range(count):
        conversation = "py-conv-%03d" % i
        event = {"eventId": "py-evt-%03d" % i, "conversationId": conversation, "userId": "alice", "channel": "python",
                 "type": "MESSAGE", "text": "where is my order 1001", "payload": {}, "locale": "en-GB", "occurredAt": now}
        key = avro_string_key(conversation) if i % 2 else conversation.encode("utf-8")
        producer.produce("chat.events", key=key, value=framed(schema, schema_id, event))


def notifications(producer, schema, schema_id, count, now):
    for i in range(count):
        note = {"notificationId": "py-note-%03d" % i, "userId": "alice", "channel": None, "text": "Parcel %d is on its way" % i,
                "template": None, "data": {}, "priority": "NORMAL", "expiresAt": now + datetime.timedelta(hours=1),
                "createdAt": now}
        producer.produce("notifications.requests", key="alice".encode("utf-8"), value=framed(schema, schema_id, note))


if __name__ == "__main__":
    bootstrap, kind, schema_id, schema_file, count = sys.argv[1:6]
    schema = avro.schema.parse(open(schema_file).read())
    # The client's defaults, as a new user has them: no partitioner setting.
    producer = Producer({"bootstrap.servers": bootstrap})
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    send = chat_events if kind == "events" else notifications
    send(producer, schema, int(schema_id), int(count), now)
    if producer.flush(30) != 0:
        sys.exit("not every record was delivered")
