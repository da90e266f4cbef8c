"""Confluent's Python SchemaRegistryClient against Parley's registry.

Usage: registry_client.py <registry url>. Prints one "name=value" line per result; the Java test
(ConfluentPythonClientIT) asserts them. Any unexpected error ends the script with a traceback and
a non-zero exit code.
"""
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

URL = sys.argv[1]
SUBJECT = "python-greetings-value"

V1 = ('{"type":"record","name":"Greeting","namespace":"python",'
      '"fields":[{"name":"text","type":"string"}]}')
V2 = ('{"type":"record","name":"Greeting","namespace":"python",'
      '"fields":[{"name":"text","type":"string"},{"name":"lang","type":"string","default":"en"}]}')
INCOMPATIBLE = ('{"type":"record","name":"Greeting","namespace":"python",'
                '"fields":[{"name":"text","type":"string"},{"name":"lang","type":"string"}]}')


def show(name, value):
    print("%s=%s" % (name, value), flush=True)


def error_of(call):
    """The registry's answer to a call that must fail: HTTP status and error code."""
    try:
        call()
    except SchemaRegistryError as e:
        return "%s/%s" % (e.http_status_code, e.error_code)
    return "no error"


client = SchemaRegistryClient({"url": URL})

v1_id = client.register_schema(SUBJECT, Schema(V1, "AVRO"))
show("register.v1.id", v1_id)
show("register.v1.again.id", client.register_schema(SUBJECT, Schema(V1, "AVRO")))

# A second client has empty caches: every answer below comes over HTTP.
reader = SchemaRegistryClient({"url": URL})
fetched = reader.get_schema(v1_id)
show("get_schema.type", fetched.schema_type)
show("get_schema.same", fetched.schema_str.replace(" ", "") == V1)
show("get_schema.unknown", error_of(lambda: reader.get_schema(4242)))

show("test_compatibility.compatible", reader.test_compatibility(SUBJECT, Schema(V2, "AVRO")))
show("test_compatibility.incompatible", reader.test_compatibility(SUBJECT, Schema(INCOMPATIBLE, "AVRO")))
show("test_compatibility.version1", reader.test_compatibility(SUBJECT, Schema(V2, "AVRO"), version=1))
show("register.incompatible", error_of(lambda: client.register_schema(SUBJECT, Schema(INCOMPATIBLE, "AVRO"))))

v2_id = client.register_schema(SUBJECT, Schema(V2, "AVRO"))
show("register.v2.id", v2_id)

latest = reader.get_latest_version(SUBJECT)
show("get_latest_version", "%s/%s/%s" % (latest.subject, latest.version, latest.schema_id))
show("get_version.1", reader.get_version(SUBJECT, 1).schema_id)
show("get_versions", reader.get_versions(SUBJECT))
show("get_subjects", reader.get_subjects())

found = reader.lookup_schema(SUBJECT, Schema(V1, "AVRO"))
show("lookup_schema", "%s/%s/%s" % (found.subject, found.version, found.schema_id))
show("lookup_schema.unregistered", error_of(lambda: reader.lookup_schema(SUBJECT, Schema(INCOMPATIBLE, "AVRO"))))
show("lookup_schema.unknown_subject", error_of(lambda: reader.lookup_schema("nothing-value", Schema(V1, "AVRO"))))

show("get_compatibility.global", reader.get_compatibility())
show("get_compatibility.subject_unset", error_of(lambda: reader.get_compatibility(SUBJECT)))
show("set_compatibility.subject", client.set_compatibility(SUBJECT, "none"))
show("get_compatibility.subject", reader.get_compatibility(SUBJECT))
show("test_compatibility.incompatible_at_none", reader.test_compatibility(SUBJECT, Schema(INCOMPATIBLE, "AVRO")))
show("set_compatibility.global", client.set_compatibility(level="FULL"))
show("get_compatibility.global_after", reader.get_compatibility())
show("set_compatibility.invalid", error_of(lambda: client.set_compatibility(SUBJECT, "sideways")))

show("delete_version", client.delete_version(SUBJECT, 1))
show("get_versions.after_delete", reader.get_versions(SUBJECT))
show("get_version.deleted", error_of(lambda: reader.get_version(SUBJECT, 1)))
show("lookup_schema.deleted", error_of(lambda: reader.lookup_schema(SUBJECT, Schema(V1, "AVRO"))))
show("get_schema.deleted_version_id", SchemaRegistryClient({"url": URL}).get_schema(v1_id).schema_str.replace(" ", "") == V1)
show("delete_version.again", error_of(lambda: client.delete_version(SUBJECT, 1)))

show("delete_subject", client.delete_subject(SUBJECT))
show("get_subjects.after_delete", reader.get_subjects())
show("get_versions.deleted_subject", error_of(lambda: reader.get_versions(SUBJECT)))
show("done", True)
