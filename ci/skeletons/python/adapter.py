#!/usr/bin/env python3
"""A mimispec adapter skeleton in Python 3.8+, standard library only.

Every op of the suite is declared and answered "unsupported", so a run
passes with every case unsupported. Fill it in one op at a time: replace a
stub below with a call into your library and return result(...) or
error(...). Input and result shapes: harness/PROTOCOL.md, or
`mimispec schema OP`.

    mimispec run --impl 'python3 adapter.py'              # one process for the run
    mimispec run --impl 'python3 adapter.py' --one-shot   # one process per case
    python3 -m unittest test_adapter                     # this file's own checks
"""
import base64
import binascii
import json
import sys

NAME = "python-skeleton"  # your implementation's name and version, for reports
VERSION = "0.1.0"
# Optional features you support (PROTOCOL.md, Features), such as "enum-apex".
FEATURES = []


class BadInput(Exception):
    """An input that breaks its op's documented shape (a harness bug)."""


def as_bytes(value):
    """An input member documented as bytes: a JSON string (its UTF-8) or
    {"$base64": "..."} (standard alphabet, padded)."""
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError as e:  # a lone surrogate from a \u escape
            raise BadInput(f"bytes: {e}") from None
    if isinstance(value, dict) and list(value) == ["$base64"] and isinstance(value["$base64"], str):
        try:
            return base64.b64decode(value["$base64"], validate=True)
        except (binascii.Error, ValueError) as e:
            raise BadInput(f"$base64: {e}") from None
    raise BadInput('bytes are a string or {"$base64": "..."}')


def bytes_value(data):
    """Bytes for a result member: a JSON string when they are UTF-8, else
    {"$base64": "..."}. Example: return result({"entity": bytes_value(out)})."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return {"$base64": base64.b64encode(data).decode("ascii")}


def result(value):
    return {"result": value}


def error(code, message=""):
    """A rejection: the suite's code (PROTOCOL.md lists each op's) or yours
    (map yours with an error-map in your --expect file)."""
    return {"error": {"code": code, "message": message}}


def unsupported(*read):
    """What a stub answers. The reason names the sizes of the bytes it
    decoded, so a run shows each stub read its input (ci/skeletons/check.sh
    checks them); any string or True will do once you fill it in."""
    if not read:
        return {"unsupported": "not implemented yet"}
    sizes = ", ".join(str(len(b)) for b in read)
    return {"unsupported": f"not implemented yet (bytes read: {sizes})"}


# One stub per op, in PROTOCOL.md's order. Each gets the case's input
# (a dict) and returns result(...), error(...) or unsupported(...).


def immi_msg_id_parse(inp):
    # input {text}
    # result {id_left, id_right}
    return unsupported()


def immi_msg_id_header_parse(inp):
    # input {text}
    # result {msg_id: object, name}
    return unsupported()


def immi_disposition_notification_parse(inp):
    # input {text}
    # result {entries: [object]}
    return unsupported()


def immi_disposition_notification_build(inp):
    # input {entries: [{msg_id, status}]}
    # result {text}
    return unsupported()


def immi_datetime_parse(inp):
    # input {text}
    # result {fraction, offset_minutes: integer, unknown_offset: boolean, utc}
    return unsupported()


def immi_message_parse(inp):
    # input {message: bytes}
    # result {body: bytes, content_disposition: object, content_length: integer,
    #     content_type: object, datetime: object, dispositions: [object], expires: object,
    #     expiring: boolean, from: object, headers: [object], in_reply_to, kind, message_id,
    #     supersedes}
    message = as_bytes(inp["message"])
    return unsupported(message)


def immi_message_summary(inp):
    # input {message: bytes}
    # result {body: bytes, content_disposition: object, content_type: object, datetime:
    #     object, dispositions: [object], expires: object, expiring: boolean, from: object,
    #     in_reply_to, kind, message_id, supersedes}
    message = as_bytes(inp["message"])
    return unsupported(message)


def immi_message_build(inp):
    # input {body: bytes, content_disposition?, content_type?, datetime, expires?, from:
    #     {display_name?, uri}, in_reply_to?, message_id, supersedes?}
    # result {message: bytes}
    body = as_bytes(inp["body"])
    return unsupported(body)


def immi_content_negotiate(inp):
    # input {members: object, message: bytes, required: [string]}
    # result {reason?, render: object, sendable: boolean}
    message = as_bytes(inp["message"])
    return unsupported(message)


def immi_conversation_apply(inp):
    # input {events: [{message: bytes, sender}], known_reactions?: [string], now}
    # result {ignored: [object], messages: [object], rejected: [object]}
    messages = [as_bytes(event["message"]) for event in inp["events"]]
    return unsupported(*messages)


def discovery_mssi_parse(inp):
    # input {text}
    # result {record: object, status, unknown_tags: object} | {reason, status, v}
    return unsupported()


def discovery_mui_parse(inp):
    # input {text}
    # result {mui}
    return unsupported()


def discovery_enum_domain(inp):
    # input {apex?, number}
    # result {domain}
    return unsupported()


def discovery_email_mui(inp):
    # input {address, mimix_target}
    # result {mui}
    return unsupported()


def discovery_identifier_resolve(inp):
    # input {dns: {mimi_type: integer, mimix_type: integer, server, timeout_ms?: integer},
    #     identifier, kind, oracle?}
    # result {mui, services: [object], via}
    return unsupported()


def application_mime_content_type_parse(inp):
    # input {text}
    # result {parameters: object, subtype, type}
    return unsupported()


def application_mime_multipart_parse(inp):
    # input {entity: bytes}
    # result {boundary, epilogue?: bytes, parts: [bytes], preamble?: bytes}
    entity = as_bytes(inp["entity"])
    return unsupported(entity)


def application_mime_wrapper_wrap(inp):
    # input {entity: bytes}
    # result {entity: bytes}
    entity = as_bytes(inp["entity"])
    return unsupported(entity)


def application_mime_wrapper_unwrap(inp):
    # input {depth?: integer, entity: bytes}
    # result {entity: bytes, layers: integer}
    entity = as_bytes(inp["entity"])
    return unsupported(entity)


def application_mime_wrapper_describe(inp):
    # input {entity: bytes}
    # result {contained_type, parameters: object}
    entity = as_bytes(inp["entity"])
    return unsupported(entity)


def application_mime_entity_transfer_encoding(inp):
    # input {entity: bytes}
    # result {transfer_encoding}
    entity = as_bytes(inp["entity"])
    return unsupported(entity)


def application_mime_entity_data_class(inp):
    # input {entity: bytes}
    # result {class, long_lines: boolean}
    entity = as_bytes(inp["entity"])
    return unsupported(entity)


def application_mime_parts_list(inp):
    # input {message: bytes}
    # result {parts: [object]}
    message = as_bytes(inp["message"])
    return unsupported(message)


def application_mime_wrappers_list(inp):
    # input {message: bytes}
    # result {wrappers: [bytes]}
    message = as_bytes(inp["message"])
    return unsupported(message)


def application_mime_gateway_process(inp):
    # input {action, message: bytes}
    # result {message: bytes}
    message = as_bytes(inp["message"])
    return unsupported(message)


def pep_version_choose(inp):
    # input {peer_version}
    # result {send}
    return unsupported()


def pep_message_wrap(inp):
    # input {message: bytes, recipient_key: bytes, sender_key: bytes, version}
    # result {message: bytes}
    message = as_bytes(inp["message"])
    recipient_key = as_bytes(inp["recipient_key"])
    sender_key = as_bytes(inp["sender_key"])
    return unsupported(message, recipient_key, sender_key)


def pep_message_unwrap(inp):
    # input {message: bytes, recipient_key: bytes}
    # result {body: object, forwarded_attachments: integer, headers: [[string, string]],
    #     sender_fpr, subject, version_detected, wrapped_info}
    message = as_bytes(inp["message"])
    recipient_key = as_bytes(inp["recipient_key"])
    return unsupported(message, recipient_key)


def pep_message_structure(inp):
    # input {message: bytes}
    # result {content_type, header_names: [string], message_id, parts: [object], protocol,
    #     subject, subject_8bit: boolean}
    message = as_bytes(inp["message"])
    return unsupported(message)


def pep_message_peer_version(inp):
    # input {message: bytes, recipient_key: bytes}
    # result {peer_version}
    message = as_bytes(inp["message"])
    recipient_key = as_bytes(inp["recipient_key"])
    return unsupported(message, recipient_key)


def pep_message_signature(inp):
    # input {message: bytes, recipient_key: bytes, sender_key: bytes}
    # result {signature}
    message = as_bytes(inp["message"])
    recipient_key = as_bytes(inp["recipient_key"])
    sender_key = as_bytes(inp["sender_key"])
    return unsupported(message, recipient_key, sender_key)


# The one table: op name -> stub. The hello declares exactly these.
OPS = {
    "immi.msg_id.parse": immi_msg_id_parse,
    "immi.msg_id_header.parse": immi_msg_id_header_parse,
    "immi.disposition_notification.parse": immi_disposition_notification_parse,
    "immi.disposition_notification.build": immi_disposition_notification_build,
    "immi.datetime.parse": immi_datetime_parse,
    "immi.message.parse": immi_message_parse,
    "immi.message.summary": immi_message_summary,
    "immi.message.build": immi_message_build,
    "immi.content.negotiate": immi_content_negotiate,
    "immi.conversation.apply": immi_conversation_apply,
    "discovery.mssi.parse": discovery_mssi_parse,
    "discovery.mui.parse": discovery_mui_parse,
    "discovery.enum.domain": discovery_enum_domain,
    "discovery.email.mui": discovery_email_mui,
    "discovery.identifier.resolve": discovery_identifier_resolve,
    "application_mime.content_type.parse": application_mime_content_type_parse,
    "application_mime.multipart.parse": application_mime_multipart_parse,
    "application_mime.wrapper.wrap": application_mime_wrapper_wrap,
    "application_mime.wrapper.unwrap": application_mime_wrapper_unwrap,
    "application_mime.wrapper.describe": application_mime_wrapper_describe,
    "application_mime.entity.transfer_encoding": application_mime_entity_transfer_encoding,
    "application_mime.entity.data_class": application_mime_entity_data_class,
    "application_mime.parts.list": application_mime_parts_list,
    "application_mime.wrappers.list": application_mime_wrappers_list,
    "application_mime.gateway.process": application_mime_gateway_process,
    "pep.version.choose": pep_version_choose,
    "pep.message.wrap": pep_message_wrap,
    "pep.message.unwrap": pep_message_unwrap,
    "pep.message.structure": pep_message_structure,
    "pep.message.peer_version": pep_message_peer_version,
    "pep.message.signature": pep_message_signature,
}


def hello():
    return {
        "type": "hello",
        "protocol": 1,
        "implementation": {"name": NAME, "version": VERSION},
        "ops": list(OPS),
        "features": FEATURES,
    }


def answer(line):
    """The answer to one request line (bytes), as a dict."""
    try:
        request = json.loads(line)
    except ValueError as e:  # not UTF-8 or not JSON
        return {"id": None, "error": {"code": "mimispec.bad_request", "message": str(e)}}
    if not isinstance(request, dict):
        return {"id": None, "error": {"code": "mimispec.bad_request", "message": "not an object"}}
    if request.get("type") == "hello":
        return hello()
    case_id = request.get("id")
    if request.get("type") != "case":
        reply = error("mimispec.bad_request", "type must be hello or case")
    elif request.get("op") not in OPS:
        reply = {"unsupported": f"no stub for op {request.get('op')!r}"}
    elif not isinstance(request.get("input"), dict):
        reply = error("mimispec.bad_input", "input is not an object")
    else:
        try:
            reply = OPS[request["op"]](request["input"])
        except BadInput as e:
            reply = error("mimispec.bad_input", str(e))
        # Any other exception ends the process with its traceback on stderr:
        # the harness records the case as a crash and starts a new process.
    return {"id": case_id, **reply}


def main():
    # Keep the real stdout for answers, and send every print() (yours or a
    # library's) to stderr, where the harness shows it beside the case.
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    try:
        # One request per line until stdin ends: this serves both modes
        # (persistent: many lines; --one-shot: one line, then end of input).
        for line in sys.stdin.buffer:
            if not line.strip():
                continue
            # json.dumps writes ASCII only (ensure_ascii), so no encoding
            # setting can garble an answer.
            out.write(json.dumps(answer(line)).encode("ascii") + b"\n")
            out.flush()  # the harness waits for this line
    except BrokenPipeError:
        pass  # the harness closed our stdout: nothing left to answer
    return 0


if __name__ == "__main__":
    sys.exit(main())
