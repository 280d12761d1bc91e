"""The Faasten Python runtime: runs a function's handle(event, cloudcall) inside a VM.

Functions normally only see the `cloudcall` object passed to handle(); they may import
`faasten_runtime.errors` to catch specific CloudCall denials.
"""

PROTOCOL_VERSION = 1
