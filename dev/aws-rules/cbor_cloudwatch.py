"""CloudWatch in the protocol the AWS SDKs speak to it now (Smithy RPC v2 CBOR), answered from moto's state.

moto 5.2 speaks CloudWatch's query and JSON protocols only; the AWS SDK for Java 2.3x+ sends
POST /service/GraniteServiceVersion20100801/operation/<Op> with a CBOR body (header smithy-protocol:
rpc-v2-cbor). This is protocol plumbing, not an AWS rule: the alarms, their states and their errors are
moto's own (moto.cloudwatch's backend), for the few operations the project uses.

Smithy RPC v2 CBOR: https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
"""
import struct
from datetime import datetime, timezone

from moto.cloudwatch.models import cloudwatch_backends

PATH_PREFIX = "/service/GraniteServiceVersion20100801/operation/"


# --------------------------------------------------------------------------------- CBOR (RFC 8949), minimal

def decode(data):
    value, _ = _decode(data, 0)
    return value


def _length(data, i, info):
    if info < 24:
        return info, i
    size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
    return int.from_bytes(data[i:i + size], "big"), i + size


def _decode(data, i):
    initial = data[i]
    i += 1
    major, info = initial >> 5, initial & 0x1F
    if major == 7:
        if info == 20:
            return False, i
        if info == 21:
            return True, i
        if info in (22, 23):
            return None, i
        if info == 25:
            return _half(data[i:i + 2]), i + 2
        if info == 26:
            return struct.unpack(">f", data[i:i + 4])[0], i + 4
        if info == 27:
            return struct.unpack(">d", data[i:i + 8])[0], i + 8
        raise ValueError(f"CBOR simple value {info}")
    if info == 31:  # indefinite length
        items = []
        while data[i] != 0xFF:
            item, i = _decode(data, i)
            items.append(item)
        i += 1
        if major in (2, 3):
            return (b"" if major == 2 else "").join(items), i
        if major == 4:
            return items, i
        return dict(zip(items[::2], items[1::2])), i
    n, i = _length(data, i, info)
    if major == 0:
        return n, i
    if major == 1:
        return -1 - n, i
    if major == 2:
        return bytes(data[i:i + n]), i + n
    if major == 3:
        return data[i:i + n].decode("utf-8"), i + n
    if major == 4:
        out = []
        for _ in range(n):
            item, i = _decode(data, i)
            out.append(item)
        return out, i
    if major == 5:
        out = {}
        for _ in range(n):
            k, i = _decode(data, i)
            v, i = _decode(data, i)
            out[k] = v
        return out, i
    if major == 6:  # a tag: timestamps (1) are all the project meets; the value is kept
        return _decode(data, i)
    raise ValueError(f"CBOR major type {major}")


def _half(b):
    h = int.from_bytes(b, "big")
    exp, frac = (h >> 10) & 0x1F, h & 0x3FF
    val = frac * 2 ** -24 if exp == 0 else (frac + 1024) * 2 ** (exp - 25) if exp != 31 else float("inf")
    return -val if h & 0x8000 else val


def _head(major, n):
    if n < 24:
        return bytes([(major << 5) | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([(major << 5) | info]) + n.to_bytes(size, "big")
    raise ValueError("too large")


def encode(v):
    if v is None:
        return b"\xf6"
    if v is True:
        return b"\xf5"
    if v is False:
        return b"\xf4"
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, float):
        return b"\xfb" + struct.pack(">d", v)
    if isinstance(v, datetime):
        return b"\xc1" + encode(float(v.timestamp()))  # tag 1: epoch seconds
    if isinstance(v, str):
        b = v.encode("utf-8")
        return _head(3, len(b)) + b
    if isinstance(v, (bytes, bytearray)):
        return _head(2, len(v)) + bytes(v)
    if isinstance(v, (list, tuple)):
        return _head(4, len(v)) + b"".join(encode(x) for x in v)
    if isinstance(v, dict):
        return _head(5, len(v)) + b"".join(encode(k) + encode(x) for k, x in v.items())
    raise TypeError(type(v))


# ------------------------------------------------------------------------------------------ the operations

class CborError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _alarm(a):
    updated = a.state_updated_timestamp
    if isinstance(updated, str):
        updated = datetime.fromisoformat(updated.replace("Z", "+00:00"))
    out = {"AlarmName": a.name, "AlarmArn": a.alarm_arn, "StateValue": a.state_value,
           "StateReason": a.state_reason or "", "MetricName": a.metric_name, "Namespace": a.namespace}
    if isinstance(updated, datetime):
        out["StateUpdatedTimestamp"] = updated if updated.tzinfo else updated.replace(tzinfo=timezone.utc)
    return out


def handle(operation, request, account, region):
    """The response document of one operation, or CborError."""
    backend = cloudwatch_backends[account][region]
    if operation == "DescribeAlarms":
        names = request.get("AlarmNames") or []
        alarms = [a for a in backend.describe_alarms() if not names or a.name in names]
        state = request.get("StateValue")
        if state:
            alarms = [a for a in alarms if a.state_value == state]
        return {"MetricAlarms": [_alarm(a) for a in alarms], "CompositeAlarms": []}
    if operation == "PutMetricAlarm":
        backend.put_metric_alarm(
            name=request["AlarmName"], namespace=request.get("Namespace"), metric_name=request.get("MetricName"),
            comparison_operator=request.get("ComparisonOperator"), evaluation_periods=request.get("EvaluationPeriods"),
            period=request.get("Period"), threshold=request.get("Threshold"), statistic=request.get("Statistic"),
            description=request.get("AlarmDescription"), dimensions=request.get("Dimensions") or [],
            alarm_actions=request.get("AlarmActions") or [])
        return {}
    if operation == "SetAlarmState":
        try:
            backend.set_alarm_state(request["AlarmName"], request.get("StateReason"), request.get("StateReasonData"),
                                    request["StateValue"])
        except Exception as e:  # moto's own errors: ResourceNotFound, ValidationError
            raise CborError(400 if type(e).__name__ != "ResourceNotFound" else 404, type(e).__name__, str(e))
        return {}
    if operation == "DeleteAlarms":
        backend.delete_alarms(request.get("AlarmNames") or [])
        return {}
    raise CborError(400, "UnknownOperationException", f"{operation} is not answered by the test world's CloudWatch")


def respond(path, body, account, region):
    """(status, headers, body) for a CloudWatch RPC v2 CBOR call."""
    operation = path[len(PATH_PREFIX):]
    headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
    try:
        out = handle(operation, decode(body) if body else {}, account, region)
        return 200, headers, encode(out)
    except CborError as e:
        return e.status, headers, encode({"__type": f"com.amazonaws.cloudwatch#{e.code}", "message": e.message})
