"""The generated protocol module (scripts/setup.sh or the Faasten.Sandbox build runs protoc)."""

from .gen.faasten.v1 import cloudcall_pb2 as pb  # noqa: F401

ERROR_PREFIX = "CLOUD_CALL_ERROR_CODE_"
