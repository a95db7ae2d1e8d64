#!/usr/bin/env python3
"""A small Kubernetes API server for flowrel's end-to-end tests (Python 3 standard library only).

It speaks enough of the Kubernetes API for the real `kubectl` (1.29-1.33) to discover resources,
validate, server-side apply, patch, diff, get, list, watch, wait, follow rollouts and delete.
Objects live in memory; nothing is persisted. See
shared/reference/kubectl-api-test-server.md for what kubectl needs and why.

Start:
    python3 kube_api_server.py --port 0 --port-file PATH [--kube-version 1.32]
The chosen port is written to PATH once the server listens (write-then-rename, so a reader never
sees half a number). SIGTERM and SIGINT stop it cleanly.

Test controls:
  * A Deployment, StatefulSet or DaemonSet becomes ready, and a Job completes, a moment
    (--controller-delay seconds, default 0.2) after each change, like a real controller.
  * A Pod reaches phase Succeeded a moment after it is created (chart hooks and tests wait for
    that). A Pod or Job that carries the annotation `flowrel.test/fail: "MESSAGE"` fails instead:
    the Pod reaches phase Failed (MESSAGE as `status.message`), the Job gets a `Failed` condition
    (reason BackoffLimitExceeded, MESSAGE as its message).
  * A workload never becomes ready (a Job never completes) when it carries the annotation
    `flowrel.test/never-ready: "true"` or when one of its container images contains
    `never-ready`. It then reports its replicas as updated but unavailable.
  * Validation as a real API server does it, dry runs (`dryRun=All`) included: an object that
    carries the annotation `flowrel.test/invalid: "MESSAGE"` is refused with 422 Invalid (the
    message names the annotation and MESSAGE), and a change of an immutable field is refused with
    422 Invalid "field is immutable": a Deployment's `spec.selector`, a Job's `spec.selector` and
    `spec.template`.
  * Slow deletion, as finalizers make it: an object with the annotation
    `flowrel.test/deletion-delay: "SECONDS"` (or `"never"`) gets a `deletionTimestamp` when
    deleted and disappears only that much later.
  * Failing requests on purpose: `POST /__test/fail` with a JSON body
    `{"method": "PATCH", "pathContains": "configmaps", "code": 500, "reason": "InternalError",
      "message": "...", "times": 1, "delaySeconds": 0}`
    (every field optional; `times` < 0, the default, means forever) makes matching requests answer
    with that status. With `delaySeconds` the answer comes that late; given without `code`, the
    request then goes on normally (a slow server). `--fail-all CODE` makes every non-admin request
    fail from the start.
  * `GET /__test/objects` lists every stored object; `GET /__test/requests` the requests seen
    (method, path, query, content type); `POST /__test/reset` empties the store, the request log
    and the failure rules.

  * CustomResourceDefinitions: a stored CRD is Established at once, and each version it serves
    appears in discovery (and the OpenAPI index) as a resource whose objects can be created,
    listed, got, applied and deleted; deleting the CRD deletes them and its discovery entries.

Simplifications (a real cluster is stricter): no schemas or strict field validation, no auth,
no admission, no pods made by controllers, no CRD schemas or conversion; request bodies are JSON, except the protobuf that kubectl's typed
`create namespace|configmap|secret` send (other protobuf kinds get 415); merge keys of lists are
looked up by field name; lists without a merge key are atomic; a field-manager
conflict is reported only when another manager (a name and an operation, Apply or Update) owns the
same leaf field with a different value.
Writes without `fieldManager` are owned by the user agent's name (`kubectl`), as on a real server.
"""

import argparse
import base64
import copy
import datetime
import json
import os
import re
import select
import signal
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

NEVER_READY_ANNOTATION = "flowrel.test/never-ready"
FAIL_ANNOTATION = "flowrel.test/fail"
INVALID_ANNOTATION = "flowrel.test/invalid"
DELETION_DELAY_ANNOTATION = "flowrel.test/deletion-delay"
# Fields a change of which the API server refuses, by kind (a real server's validation).
IMMUTABLE_FIELDS = {"Deployment": [("spec", "selector")], "Job": [("spec", "selector"), ("spec", "template")]}

# group, version, kind, plural, namespaced, short names, has status subresource
RESOURCES = [
    ("", "v1", "Namespace", "namespaces", False, ["ns"], True),
    ("", "v1", "ConfigMap", "configmaps", True, ["cm"], False),
    ("", "v1", "Secret", "secrets", True, [], False),
    ("", "v1", "Service", "services", True, ["svc"], True),
    ("", "v1", "ServiceAccount", "serviceaccounts", True, ["sa"], False),
    ("", "v1", "Pod", "pods", True, ["po"], True),
    ("", "v1", "Endpoints", "endpoints", True, ["ep"], False),
    ("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", True, ["pvc"], True),
    ("", "v1", "PersistentVolume", "persistentvolumes", False, ["pv"], True),
    ("", "v1", "ReplicationController", "replicationcontrollers", True, ["rc"], True),
    ("", "v1", "LimitRange", "limitranges", True, ["limits"], False),
    ("", "v1", "ResourceQuota", "resourcequotas", True, ["quota"], True),
    ("apps", "v1", "Deployment", "deployments", True, ["deploy"], True),
    ("apps", "v1", "StatefulSet", "statefulsets", True, ["sts"], True),
    ("apps", "v1", "DaemonSet", "daemonsets", True, ["ds"], True),
    ("apps", "v1", "ReplicaSet", "replicasets", True, ["rs"], True),
    ("batch", "v1", "Job", "jobs", True, [], True),
    ("batch", "v1", "CronJob", "cronjobs", True, ["cj"], True),
    ("networking.k8s.io", "v1", "Ingress", "ingresses", True, ["ing"], True),
    ("networking.k8s.io", "v1", "IngressClass", "ingressclasses", False, [], False),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True, ["netpol"], False),
    ("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", True, ["pdb"], True),
    ("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True, ["hpa"], True),
    ("rbac.authorization.k8s.io", "v1", "Role", "roles", True, [], False),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True, [], False),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False, [], False),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False, [], False),
    ("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", False, ["crd", "crds"], True),
]


class Resource:
    def __init__(self, group, version, kind, plural, namespaced, short_names, has_status):
        self.group, self.version, self.kind, self.plural = group, version, kind, plural
        self.namespaced, self.short_names, self.has_status = namespaced, short_names, has_status

    @property
    def group_version(self):
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self):
        return self.kind.lower()

    @property
    def scale_subresource(self):
        return self.kind in ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")

    @property
    def tracks_generation(self):
        # Real API servers keep metadata.generation for objects with a spec; the workload-like
        # ones are enough for rollout status and drift.
        return self.group in ("apps", "batch", "policy", "autoscaling") or self.kind == "ReplicationController"


RES = [Resource(*r) for r in RESOURCES]
BUILT_IN = list(RES)
BY_PATH = {(r.group, r.version, r.plural): r for r in RES}
GROUPS = []  # (group, version) in discovery order
for _r in RES:
    if (_r.group, _r.version) not in GROUPS:
        GROUPS.append((_r.group, _r.version))


def custom_resources(crd):
    """The resources a CustomResourceDefinition serves: one per served version."""
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    group, kind, plural = spec.get("group"), names.get("kind"), names.get("plural")
    if not (group and kind and plural):
        return []
    out = []
    for version in spec.get("versions") or []:
        if not isinstance(version, dict) or not version.get("name") or version.get("served") is False:
            continue
        has_status = "status" in ((version.get("subresources") or {}))
        out.append(Resource(group, version["name"], kind, plural, spec.get("scope", "Namespaced") == "Namespaced",
                            list(names.get("shortNames") or []), has_status))
    return out


def refresh_resources(objects):
    """Discovery follows the stored CRDs: the built-in resources, then each CRD's (in place, since
    the handler reads these tables)."""
    resources = list(BUILT_IN)
    for key in sorted(k for k in objects if k[:2] == ("apiextensions.k8s.io", "customresourcedefinitions")):
        if not objects[key]["metadata"].get("deletionTimestamp"):
            resources += custom_resources(objects[key])
    RES[:] = resources
    BY_PATH.clear()
    BY_PATH.update({(r.group, r.version, r.plural): r for r in resources})
    groups = []
    for r in resources:
        if (r.group, r.version) not in groups:
            groups.append((r.group, r.version))
    GROUPS[:] = groups


def crd_status(crd):
    """What the API server reports once a CRD's names are accepted: Established at once."""
    names = dict((crd.get("spec") or {}).get("names") or {})
    names.setdefault("singular", str(names.get("kind", "")).lower())
    names.setdefault("listKind", str(names.get("kind", "")) + "List")
    stamp = now_rfc3339()
    return {"acceptedNames": names, "storedVersions": [v["name"] for v in (crd.get("spec") or {}).get("versions") or []
                                                       if isinstance(v, dict) and v.get("storage")],
            "conditions": [{"type": "NamesAccepted", "status": "True", "reason": "NoConflicts",
                            "message": "no conflicts found", "lastTransitionTime": stamp},
                           {"type": "Established", "status": "True", "reason": "InitialNamesAccepted",
                            "message": "the initial names have been accepted", "lastTransitionTime": stamp}]}

# Merge keys of lists, by field name (a real server reads them from the schema).
MERGE_KEYS = {
    "containers": ["name"], "initContainers": ["name"], "ephemeralContainers": ["name"],
    "env": ["name"], "volumes": ["name"], "volumeMounts": ["mountPath"],
    "imagePullSecrets": ["name"], "hostAliases": ["ip"], "conditions": ["type"],
    "volumeDevices": ["devicePath"], "topologySpreadConstraints": ["topologyKey", "whenUnsatisfiable"],
}


def merge_key_fields(field, items):
    """The key fields of a list named `field`, or None when the list is atomic."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    if field == "ports":
        if all("containerPort" in i for i in items):
            return ["containerPort"]
        if all("port" in i for i in items):
            return ["port"]
        return None
    keys = MERGE_KEYS.get(field)
    if keys and all(all(k in i for k in keys) for i in items):
        return keys
    return None


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class APIError(Exception):
    def __init__(self, code, reason, message, details=None):
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def status(self):
        body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                "message": self.message, "reason": self.reason, "code": self.code}
        if self.details:
            body["details"] = self.details
        return body


def not_found(res, name):
    group_plural = f"{res.plural}.{res.group}" if res.group else res.plural
    return APIError(404, "NotFound", f'{group_plural} "{name}" not found',
                    {"name": name, "group": res.group, "kind": res.plural})


# ---------------------------------------------------------------------------------------------
# Field sets for server-side apply. A path is a tuple of steps: "f:<key>" for a map key,
# "k:<json>" for the item of a keyed list; a path names a leaf (scalar, atomic list, empty map)
# or a list item.

SKIPPED_METADATA = {"name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                    "managedFields", "deletionTimestamp", "selfLink"}


def field_set(obj):
    paths = set()

    def walk(value, path, field):
        if isinstance(value, dict):
            if not value:
                paths.add(path)
            for k, v in value.items():
                walk(v, path + ("f:" + k,), k)
        elif isinstance(value, list):
            keys = merge_key_fields(field, value)
            if keys is None:
                paths.add(path)
                return
            for item in value:
                p = path + ("k:" + json.dumps({k: item[k] for k in keys}, sort_keys=True, separators=(",", ":")),)
                paths.add(p)
                walk(item, p, None)
        else:
            paths.add(path)

    for k, v in obj.items():
        if k in ("apiVersion", "kind", "status"):
            continue
        if k == "metadata" and isinstance(v, dict):
            for mk, mv in v.items():
                if mk not in SKIPPED_METADATA:
                    walk(mv, ("f:metadata", "f:" + mk), mk)
            continue
        walk(v, ("f:" + k,), k)
    return paths


MISSING = object()


def value_at(obj, path):
    cur = obj
    for step in path:
        if step.startswith("f:"):
            if not isinstance(cur, dict) or step[2:] not in cur:
                return MISSING
            cur = cur[step[2:]]
        else:
            key = json.loads(step[2:])
            if not isinstance(cur, list):
                return MISSING
            match = [i for i in cur if isinstance(i, dict) and all(i.get(k) == v for k, v in key.items())]
            if not match:
                return MISSING
            cur = match[0]
    return cur


def remove_at(obj, path):
    parent = value_at(obj, path[:-1])
    step = path[-1]
    if step.startswith("f:"):
        if isinstance(parent, dict):
            parent.pop(step[2:], None)
    elif isinstance(parent, list):
        key = json.loads(step[2:])
        parent[:] = [i for i in parent if not (isinstance(i, dict) and all(i.get(k) == v for k, v in key.items()))]


def fields_v1(paths):
    root = {}
    for path in sorted(paths):
        node = root
        for step in path:
            node = node.setdefault(step, {})
        if path and path[-1].startswith("k:"):
            node["."] = {}
    return root


def paths_from_fields_v1(tree, prefix=()):
    paths = set()
    for step, sub in tree.items():
        if step == ".":
            paths.add(prefix)
            continue
        p = prefix + (step,)
        if not sub:
            paths.add(p)
        else:
            paths |= paths_from_fields_v1(sub, p)
    return paths


def describe_path(path):
    out = ""
    for step in path:
        if step.startswith("f:"):
            out += "." + step[2:]
        else:
            key = json.loads(step[2:])
            out += "[" + ",".join(f"{k}={json.dumps(v)}" for k, v in sorted(key.items())) + "]"
    return out


def apply_merge(live, applied, field=None):
    """Merges an applied configuration into the live object (maps deep, keyed lists by key)."""
    if isinstance(live, dict) and isinstance(applied, dict):
        out = dict(live)
        for k, v in applied.items():
            out[k] = apply_merge(live.get(k, MISSING), v, k)
        return out
    if isinstance(live, list) and isinstance(applied, list):
        keys = merge_key_fields(field, applied)
        if keys is not None and merge_key_fields(field, live) == keys:
            out = list(live)
            for item in applied:
                idx = next((n for n, i in enumerate(out) if all(i.get(k) == item[k] for k in keys)), None)
                if idx is None:
                    out.append(copy.deepcopy(item))
                else:
                    out[idx] = apply_merge(out[idx], item)
            return out
    return copy.deepcopy(applied)


# ---------------------------------------------------------------------------------------------
# Patches.

def json_merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = json_merge_patch(out.get(k), v)
    return out


def strategic_merge_patch(target, patch, field=None):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: v for k, v in copy.deepcopy(patch).items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if k.startswith("$setElementOrder/") or k in ("$retainKeys", "$patch"):
            continue
        if k.startswith("$deleteFromPrimitiveList/"):
            name = k.split("/", 1)[1]
            if isinstance(out.get(name), list):
                out[name] = [i for i in out[name] if i not in v]
            continue
        if v is None:
            out.pop(k, None)
        elif isinstance(v, list) and isinstance(out.get(k), list):
            out[k] = smp_list(out[k], v, k)
        elif isinstance(v, list):
            out[k] = [i for i in copy.deepcopy(v) if not (isinstance(i, dict) and "$patch" in i)]
        else:
            out[k] = strategic_merge_patch(out.get(k), v, k)
    return out


def smp_list(live, patch, field):
    keys = merge_key_fields(field, [i for i in live + patch if isinstance(i, dict) and "$patch" not in i])
    if keys is None:
        if field in MERGE_KEYS and all(isinstance(i, dict) for i in patch):
            keys = MERGE_KEYS[field]
        else:
            return copy.deepcopy(patch)
    out = list(live)
    for item in patch:
        if not isinstance(item, dict):
            continue
        idx = next((n for n, i in enumerate(out) if all(i.get(k) == item.get(k) for k in keys)), None)
        if item.get("$patch") == "delete":
            if idx is not None:
                del out[idx]
        elif idx is None:
            out.append(copy.deepcopy(item))
        else:
            out[idx] = strategic_merge_patch(out[idx], item)
    return out


def json_patch(target, ops):
    doc = copy.deepcopy(target)

    def split(pointer):
        return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]

    def parent_of(parts):
        cur = doc
        for p in parts[:-1]:
            cur = cur[int(p)] if isinstance(cur, list) else cur[p]
        return cur

    for op in ops:
        parts = split(op.get("path", ""))
        try:
            parent = parent_of(parts)
            last = parts[-1]
            kind = op.get("op")
            if kind == "test":
                current = parent[int(last)] if isinstance(parent, list) else parent.get(last, MISSING)
                if current != op.get("value"):
                    raise APIError(422, "Invalid", f"the server rejected our request due to an error in our request: "
                                                   f"test operation failed at {op.get('path')}")
            elif kind in ("add", "replace"):
                if isinstance(parent, list):
                    if last == "-":
                        parent.append(op.get("value"))
                    elif kind == "add":
                        parent.insert(int(last), op.get("value"))
                    else:
                        parent[int(last)] = op.get("value")
                else:
                    parent[last] = op.get("value")
            elif kind == "remove":
                if isinstance(parent, list):
                    del parent[int(last)]
                else:
                    del parent[last]
            else:
                raise APIError(422, "Invalid", f"unsupported JSON patch operation {kind!r}")
        except (KeyError, IndexError, ValueError, TypeError):
            raise APIError(422, "Invalid", f"JSON patch path {op.get('path')!r} does not exist")
    return doc


# ---------------------------------------------------------------------------------------------
# Protobuf: kubectl's typed `create namespace|configmap|secret` send these three kinds that way.

def protobuf_fields(data):
    """The (field number, value) pairs of one protobuf message; length-delimited values as bytes."""
    fields, pos = [], 0

    def varint():
        nonlocal pos
        shift = result = 0
        while True:
            if pos >= len(data):
                raise APIError(400, "BadRequest", "truncated protobuf body")
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    while pos < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            fields.append((number, varint()))
        elif wire == 2:
            length = varint()
            fields.append((number, data[pos:pos + length]))
            pos += length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            fields.append((number, data[pos:pos + size]))
            pos += size
        else:
            raise APIError(400, "BadRequest", f"unsupported protobuf wire type {wire}")
    return fields


def protobuf_map(entries, decode_value):
    out = {}
    for raw in entries:
        entry = dict(protobuf_fields(raw))
        out[entry.get(1, b"").decode()] = decode_value(entry.get(2, b""))
    return out


def protobuf_object(raw):
    """A Namespace, ConfigMap or Secret from Kubernetes' protobuf envelope, as a JSON-like dict."""
    if not raw.startswith(b"k8s\x00"):
        raise APIError(400, "BadRequest", "protobuf body without the k8s envelope")
    unknown = dict(protobuf_fields(raw[4:]))
    type_meta = dict(protobuf_fields(unknown.get(1, b"")))
    api_version, kind = type_meta.get(1, b"").decode(), type_meta.get(2, b"").decode()
    fields = protobuf_fields(unknown.get(2, b""))
    text = lambda b: b.decode()
    b64 = lambda b: base64.b64encode(b).decode()
    obj = {"apiVersion": api_version, "kind": kind}
    meta_fields = [v for n, v in fields if n == 1]
    if meta_fields:
        meta = protobuf_fields(meta_fields[0])
        m = {}
        for number, key in ((1, "name"), (2, "generateName"), (3, "namespace")):
            values = [v.decode() for n, v in meta if n == number]
            if values:
                m[key] = values[0]
        for number, key in ((11, "labels"), (12, "annotations")):
            entries = [v for n, v in meta if n == number]
            if entries:
                m[key] = protobuf_map(entries, text)
        obj["metadata"] = m
    if kind == "ConfigMap":
        layout = {2: ("data", text), 3: ("binaryData", b64)}
    elif kind == "Secret":
        layout = {2: ("data", b64), 4: ("stringData", text)}
        types = [v.decode() for n, v in fields if n == 3]
        if types:
            obj["type"] = types[0]
    elif kind == "Namespace":
        layout = {}
    else:
        raise APIError(415, "UnsupportedMediaType", f"this test server decodes protobuf only for Namespace, "
                                                    f"ConfigMap and Secret, not {kind}")
    for number, (key, decode) in layout.items():
        entries = [v for n, v in fields if n == number]
        if entries:
            obj[key] = protobuf_map(entries, decode)
    return obj


# ---------------------------------------------------------------------------------------------
# Selectors.

def split_top(text):
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def label_matcher(selector):
    tests = []
    for term in split_top(selector or ""):
        m = re.match(r"^(\S+)\s+(in|notin)\s+\((.*)\)$", term)
        if m:
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            if op == "in":
                tests.append(lambda l, k=key, vs=values: k in l and l[k] in vs)
            else:
                tests.append(lambda l, k=key, vs=values: k not in l or l[k] not in vs)
        elif "!=" in term:
            k, v = [s.strip() for s in term.split("!=", 1)]
            tests.append(lambda l, k=k, v=v: l.get(k) != v)
        elif "=" in term:
            k, v = [s.strip() for s in re.split(r"==?", term, maxsplit=1)]
            tests.append(lambda l, k=k, v=v: l.get(k) == v)
        elif term.startswith("!"):
            tests.append(lambda l, k=term[1:].strip(): k not in l)
        else:
            tests.append(lambda l, k=term: k in l)
    return lambda labels: all(t(labels) for t in tests)


def field_matcher(selector):
    tests = []
    for term in split_top(selector or ""):
        neg = "!=" in term
        k, v = [s.strip() for s in re.split(r"!=|==?", term, maxsplit=1)]

        def get(obj, k=k):
            cur = obj
            for part in k.split("."):
                cur = cur.get(part) if isinstance(cur, dict) else None
            return "" if cur is None else str(cur)
        tests.append(lambda o, get=get, v=v, neg=neg: (get(o) != v) if neg else (get(o) == v))
    return lambda obj: all(t(obj) for t in tests)


# ---------------------------------------------------------------------------------------------
# The store.

class Store:
    def __init__(self, controller_delay):
        self.lock = threading.Condition()
        self.controller_delay = controller_delay
        self.reset()

    def reset(self):
        with self.lock:
            self.objects = {}  # (group, plural, namespace, name) -> object
            self.events = []  # (resourceVersion, (group, plural), type, object)
            self.rv = 1
            refresh_resources(self.objects)
            self.failures = []
            self.requests = []
            for ns in ("default", "kube-system", "kube-public"):
                self._store(RES[0], None, self._new_namespace(ns), "ADDED")
            self.lock.notify_all()

    def _new_namespace(self, name):
        return {"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": name, "uid": str(uuid.uuid4()), "creationTimestamp": now_rfc3339(),
                             "labels": {"kubernetes.io/metadata.name": name}},
                "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}

    def _store(self, res, ns, obj, event_type):
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        key = (res.group, res.plural, ns, obj["metadata"]["name"])
        if event_type == "DELETED":
            self.objects.pop(key, None)
        else:
            self.objects[key] = obj
        self.events.append((self.rv, (res.group, res.plural), event_type, copy.deepcopy(obj)))
        if res.kind == "CustomResourceDefinition":
            if event_type == "DELETED":
                # Deleting a CRD deletes every object of its kind.
                plural = ((obj.get("spec") or {}).get("names") or {}).get("plural")
                group = (obj.get("spec") or {}).get("group")
                for gone in [k for k in self.objects if k[:2] == (group, plural)]:
                    del self.objects[gone]
            refresh_resources(self.objects)
        self.lock.notify_all()

    def get(self, res, ns, name):
        obj = self.objects.get((res.group, res.plural, ns, name))
        if obj is None:
            raise not_found(res, name)
        return obj

    def namespace_check(self, res, ns, name):
        """Creating in a missing namespace is NotFound, in a Terminating one Forbidden."""
        if not res.namespaced:
            return
        nsobj = self.objects.get(("", "namespaces", None, ns))
        if nsobj is None:
            raise APIError(404, "NotFound", f'namespaces "{ns}" not found',
                           {"name": ns, "kind": "namespaces"})
        if nsobj.get("status", {}).get("phase") == "Terminating":
            raise APIError(403, "Forbidden", f'{res.plural} "{name}" is forbidden: unable to create new content in '
                                             f'namespace {ns} because it is being terminated',
                           {"name": ns, "kind": "namespaces",
                            "causes": [{"reason": "NamespaceTerminating", "field": "metadata.namespace"}]})

    # -- writing ------------------------------------------------------------------------------

    def validate(self, res, obj, old):
        """The validation a real API server does before storing (and for a dry run)."""
        meta = obj.get("metadata", {})
        name = meta.get("name", "")
        title = f"{res.kind}.{res.group}" if res.group else res.kind
        causes = []
        message = (meta.get("annotations") or {}).get(INVALID_ANNOTATION)
        if message is not None:
            causes.append({"reason": "FieldValueInvalid", "field": f"metadata.annotations[{INVALID_ANNOTATION}]",
                           "message": f"Invalid value: {json.dumps(message)}: {message}"})
        if old is not None:
            for path in IMMUTABLE_FIELDS.get(res.kind, []):
                before, after = old, obj
                for step in path:
                    before = before.get(step, MISSING) if isinstance(before, dict) else MISSING
                    after = after.get(step, MISSING) if isinstance(after, dict) else MISSING
                if before is not MISSING and before != after:
                    shown = "null" if after is MISSING else json.dumps(after, sort_keys=True)
                    causes.append({"reason": "FieldValueInvalid", "field": ".".join(path),
                                   "message": f"Invalid value: {shown}: field is immutable"})
        if causes:
            text = ", ".join(f"{c['field']}: {c['message']}" for c in causes)
            raise APIError(422, "Invalid", f'{title} "{name}" is invalid: {text}',
                           {"name": name, "group": res.group, "kind": res.kind, "causes": causes})

    def normalize(self, res, ns, obj, old):
        """Server-side defaults and bookkeeping for an object about to be stored."""
        self.validate(res, obj, old)
        obj["apiVersion"], obj["kind"] = res.group_version, res.kind
        meta = obj.setdefault("metadata", {})
        if res.namespaced:
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
        for empty in ("labels", "annotations", "finalizers"):
            if empty in meta and not meta[empty]:
                del meta[empty]
        if old is not None:
            for k in ("uid", "creationTimestamp"):
                meta[k] = old["metadata"].get(k)
            if "status" in old:
                obj["status"] = copy.deepcopy(old["status"])
            else:
                obj.pop("status", None)
        else:
            meta["uid"] = str(uuid.uuid4())
            meta["creationTimestamp"] = now_rfc3339()
            obj.pop("status", None)
        if res.kind == "Secret":
            obj.setdefault("type", "Opaque")
        if res.kind == "Secret" and isinstance(obj.get("stringData"), dict):
            data = obj.setdefault("data", {})
            for k, v in obj.pop("stringData").items():
                data[k] = base64.b64encode(str(v).encode()).decode()
        if res.kind == "Namespace":
            meta.setdefault("labels", {})["kubernetes.io/metadata.name"] = meta["name"]
            obj.setdefault("spec", {"finalizers": ["kubernetes"]})
            obj["status"] = (old or {}).get("status", {"phase": "Active"})
        if res.kind in ("StatefulSet", "DaemonSet"):
            obj.setdefault("spec", {}).setdefault("updateStrategy", {}).setdefault("type", "RollingUpdate")
        if res.kind == "CustomResourceDefinition" and old is None:
            obj["status"] = crd_status(obj)
        if res.tracks_generation:
            if old is None:
                meta["generation"] = 1
            else:
                gen = old["metadata"].get("generation", 1)
                meta["generation"] = gen + 1 if obj.get("spec") != old.get("spec") else gen
        else:
            meta.pop("generation", None)

    def commit(self, res, ns, obj, old, dry_run):
        """Stores `obj` (unless dry run or unchanged) and returns what the client sees."""
        if old is not None and old.get("metadata", {}).get("deletionTimestamp"):
            obj["metadata"]["deletionTimestamp"] = old["metadata"]["deletionTimestamp"]
        if old is not None:
            obj["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"]
            if obj == old:
                return copy.deepcopy(old)
        if dry_run:
            if old is None:
                obj["metadata"].pop("resourceVersion", None)
            return obj
        self._store(res, ns, obj, "ADDED" if old is None else "MODIFIED")
        if res.kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "Pod"):
            self.schedule_controller(res, ns, obj["metadata"]["name"])
        return copy.deepcopy(obj)

    def update_managed(self, obj, old, manager, operation, api_version):
        """Field ownership after a non-apply write: the manager owns what it changed."""
        entries = managed_entries(old) if old is not None else {}
        new_fields = field_set(obj)
        if old is None:
            changed = new_fields
        else:
            changed = {p for p in new_fields if value_at(old, p) != value_at(obj, p)}
        for key in list(entries):
            entries[key] = {p for p in entries[key] if p in new_fields and p not in changed}
        key = (manager, operation)
        entries[key] = entries.get(key, set()) | changed
        set_managed(obj, entries, api_version, old)

    # -- controllers --------------------------------------------------------------------------

    def schedule_controller(self, res, ns, name):
        timer = threading.Timer(self.controller_delay, self.run_controller, (res, ns, name))
        timer.daemon = True
        timer.start()

    def run_controller(self, res, ns, name):
        with self.lock:
            obj = self.objects.get((res.group, res.plural, ns, name))
            if obj is None or obj["metadata"].get("deletionTimestamp"):
                return
            new = copy.deepcopy(obj)
            new["status"] = workload_status(res, new, never_ready(new), obj.get("status", {}))
            if new["status"] != obj.get("status"):
                self._store(res, ns, new, "MODIFIED")

    def finish_deletion(self, res, ns, name):
        """The end of a slow deletion: the object goes."""
        with self.lock:
            obj = self.objects.get((res.group, res.plural, ns, name))
            if obj is not None and obj["metadata"].get("deletionTimestamp"):
                self._store(res, ns, copy.deepcopy(obj), "DELETED")

    def delete_namespace_contents(self, name):
        with self.lock:
            for key in [k for k in self.objects if k[2] == name]:
                res = next(r for r in RES if (r.group, r.plural) == key[:2])
                self._store(res, name, copy.deepcopy(self.objects[key]), "DELETED")
            nskey = ("", "namespaces", None, name)
            if nskey in self.objects:
                self._store(RES[0], None, copy.deepcopy(self.objects[nskey]), "DELETED")


def never_ready(obj):
    if obj["metadata"].get("annotations", {}).get(NEVER_READY_ANNOTATION) == "true":
        return True
    template = obj.get("spec", {}).get("template", {})
    if obj.get("kind") == "CronJob":
        template = obj.get("spec", {}).get("jobTemplate", {}).get("spec", {}).get("template", {})
    containers = template.get("spec", {}).get("containers", []) or []
    return any("never-ready" in str(c.get("image", "")) for c in containers if isinstance(c, dict))


def workload_status(res, obj, stuck, old_status):
    spec = obj.get("spec", {})
    gen = obj["metadata"].get("generation", 1)
    ts = now_rfc3339()
    failure = obj["metadata"].get("annotations", {}).get(FAIL_ANNOTATION)
    if res.kind == "Pod":
        if old_status.get("phase") in ("Succeeded", "Failed"):
            return old_status
        if stuck:
            return {"phase": "Running", "startTime": old_status.get("startTime", ts)}
        if failure is not None:
            return {"phase": "Failed", "reason": "Error", "message": failure, "startTime": old_status.get("startTime", ts)}
        return {"phase": "Succeeded", "startTime": old_status.get("startTime", ts)}
    if res.kind == "Job" and failure is not None and not stuck:
        if any(c.get("type") == "Failed" for c in old_status.get("conditions", [])):
            return old_status
        return {"failed": 1, "startTime": old_status.get("startTime", ts), "ready": 0, "terminating": 0,
                "conditions": [
                    {"type": "FailureTarget", "status": "True", "reason": "BackoffLimitExceeded", "message": failure,
                     "lastProbeTime": ts, "lastTransitionTime": ts},
                    {"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded", "message": failure,
                     "lastProbeTime": ts, "lastTransitionTime": ts}]}
    if res.kind == "Job":
        if stuck:
            return {"active": 1, "startTime": old_status.get("startTime", ts), "ready": 0}
        done = spec.get("completions", 1)
        if old_status.get("succeeded") == done:
            return old_status
        return {"succeeded": done, "startTime": old_status.get("startTime", ts), "completionTime": ts,
                "ready": 0, "terminating": 0,
                "conditions": [
                    {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": ts, "lastTransitionTime": ts},
                    {"type": "Complete", "status": "True", "lastProbeTime": ts, "lastTransitionTime": ts}]}
    ready = 0 if stuck else None
    if res.kind == "DaemonSet":
        n = 1
        r = n if ready is None else ready
        return {"observedGeneration": gen, "desiredNumberScheduled": n, "currentNumberScheduled": n,
                "updatedNumberScheduled": n, "numberReady": r, "numberAvailable": r,
                **({"numberUnavailable": n - r} if r < n else {}), "numberMisscheduled": 0}
    n = spec.get("replicas", 1)
    r = n if ready is None else ready
    status = {"observedGeneration": gen, "replicas": n, "updatedReplicas": n, "readyReplicas": r,
              "availableReplicas": r}
    if r < n:
        status["unavailableReplicas"] = n - r
    if res.kind == "StatefulSet":
        revision = f"{obj['metadata']['name']}-{gen}"
        status.update({"currentReplicas": n, "currentRevision": revision, "updateRevision": revision,
                       "collisionCount": 0})
        status.pop("unavailableReplicas", None)
    if res.kind == "Deployment":
        available = "True" if r >= n else "False"
        status["conditions"] = [
            {"type": "Available", "status": available,
             "reason": "MinimumReplicasAvailable" if r >= n else "MinimumReplicasUnavailable",
             "message": "Deployment has minimum availability." if r >= n
             else "Deployment does not have minimum availability.",
             "lastUpdateTime": ts, "lastTransitionTime": ts},
            {"type": "Progressing", "status": "True",
             "reason": "NewReplicaSetAvailable" if r >= n else "ReplicaSetUpdated",
             "message": f'ReplicaSet "{obj["metadata"]["name"]}" has ' +
                        ("successfully progressed." if r >= n else "is progressing."),
             "lastUpdateTime": ts, "lastTransitionTime": ts}]
    return status


def managed_entries(obj):
    entries = {}
    for e in obj.get("metadata", {}).get("managedFields", []) or []:
        if not isinstance(e, dict) or e.get("subresource"):
            continue
        key = (e.get("manager", ""), e.get("operation", "Update"))
        entries[key] = entries.get(key, set()) | paths_from_fields_v1(e.get("fieldsV1", {}) or {})
    return entries


def set_managed(obj, entries, api_version, old):
    previous = {(e.get("manager"), e.get("operation")): e
                for e in (old or {}).get("metadata", {}).get("managedFields", []) or [] if isinstance(e, dict)}
    out = []
    for (manager, operation), paths in entries.items():
        if not paths:
            continue
        fv1 = fields_v1(paths)
        prev = previous.get((manager, operation))
        keep_time = prev is not None and prev.get("fieldsV1") == fv1 and prev.get("time")
        out.append({"manager": manager, "operation": operation, "apiVersion": api_version,
                    "time": keep_time or now_rfc3339(), "fieldsType": "FieldsV1", "fieldsV1": fv1})
    if out:
        obj["metadata"]["managedFields"] = out
    else:
        obj["metadata"].pop("managedFields", None)


def server_side_apply(res, live, applied, manager, force, api_version):
    """The object after `manager` applies `applied` over `live` (None when missing)."""
    entries = managed_entries(live) if live is not None else {}
    base = copy.deepcopy(live) if live is not None else {}
    new_fields = field_set(applied)
    conflicts = {}
    # A manager is its name and operation, as on a real server: fields a manager wrote with an
    # Update (kubectl replace, create, edit) conflict with its own applies.
    for key, owned in entries.items():
        if key == (manager, "Apply"):
            continue
        for p in sorted(owned & new_fields):
            if value_at(base, p) != value_at(applied, p):
                conflicts.setdefault(key, []).append(p)
    if conflicts and not force:
        count = sum(len(v) for v in conflicts.values())
        parts, causes = [], []
        for (other, _), paths in conflicts.items():
            if len(paths) == 1:
                parts.append(f'conflict with "{other}" using {api_version}: {describe_path(paths[0])}')
            else:
                parts.append(f'conflicts with "{other}" using {api_version}:\n' +
                             "\n".join(f"- {describe_path(p)}" for p in paths))
            causes += [{"reason": "FieldManagerConflict", "message": f'conflict with "{other}" using {api_version}',
                        "field": describe_path(p)} for p in paths]
        plural = "conflict" if count == 1 else "conflicts"
        raise APIError(409, "Conflict", f"Apply failed with {count} {plural}: " + "\n".join(parts),
                       {"causes": causes})
    for key, paths in conflicts.items():
        entries[key] -= set(paths)
    previously_mine = entries.get((manager, "Apply"), set())
    merged = apply_merge(base, {k: v for k, v in applied.items() if k != "status"})
    others = set().union(*[v for k, v in entries.items() if k != (manager, "Apply")]) if entries else set()
    # Parents first: a list item goes as a whole, before its key fields could be taken from it.
    for p in sorted(previously_mine - new_fields, key=len):
        if p not in others and not any(o[:len(p)] == p for o in others):
            remove_at(merged, p)
    # Values this manager changed are no longer owned by managers that wrote them with Update.
    for key in entries:
        if key != (manager, "Apply") and key[1] == "Update":
            entries[key] = {p for p in entries[key] if value_at(merged, p) == value_at(base, p)}
    entries[(manager, "Apply")] = new_fields
    set_managed(merged, entries, api_version, live)
    return merged


# ---------------------------------------------------------------------------------------------
# HTTP.

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "flowrel-kube-api-test"
    store: Store = None
    kube_minor = "32"

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle and delayed ACKs add
        # ~45 ms to every request.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_PATCH(self):
        self.dispatch("PATCH")

    def do_DELETE(self):
        self.dispatch("DELETE")

    # -- plumbing -----------------------------------------------------------------------------

    def send_json(self, code, body, content_type="application/json"):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            return self.rfile.read(length)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def json_body(self):
        raw = self.read_body()
        if not raw:
            return None
        if (self.headers.get("Content-Type") or "").startswith("application/vnd.kubernetes.protobuf"):
            return protobuf_object(raw)
        try:
            return json.loads(raw)
        except ValueError:
            raise APIError(400, "BadRequest", "the request body is not JSON")

    def dispatch(self, method):
        url = urlsplit(self.path)
        self.query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        path = url.path.rstrip("/") or "/"
        try:
            if path.startswith("/__test/"):
                return self.admin(method, path)
            store = self.store
            with store.lock:
                store.requests.append({"method": method, "path": path, "query": self.query,
                                       "contentType": self.headers.get("Content-Type", "")})
                failure = self.matching_failure(method, path)
            if failure and failure.get("delaySeconds"):
                time.sleep(float(failure["delaySeconds"]))
            if failure and ("code" in failure or not failure.get("delaySeconds")):
                self.read_body()
                raise APIError(failure.get("code", 500), failure.get("reason", "InternalError"),
                               failure.get("message", "injected failure"))
            self.route(method, path)
        except APIError as e:
            self.send_json(e.code, e.status())
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as e:  # a malformed request must get an answer, not a dropped connection
            self.send_json(500, APIError(500, "InternalError", f"test server error: {type(e).__name__}: {e}").status())

    def matching_failure(self, method, path):
        for rule in self.store.failures:
            if rule.get("method") not in (None, method):
                continue
            if rule.get("pathContains") and rule["pathContains"] not in path:
                continue
            if rule.get("times", -1) == 0:
                continue
            if rule.get("times", -1) > 0:
                rule["times"] -= 1
            return rule
        return None

    def admin(self, method, path):
        store = self.store
        if method == "GET" and path == "/__test/objects":
            with store.lock:
                items = [copy.deepcopy(o) for _, o in sorted(store.objects.items(), key=lambda kv: repr(kv[0]))]
            return self.send_json(200, {"items": items})
        if method == "GET" and path == "/__test/requests":
            with store.lock:
                return self.send_json(200, {"items": list(store.requests)})
        if method == "POST" and path == "/__test/reset":
            self.read_body()
            store.reset()
            return self.send_json(200, {"status": "reset"})
        if method == "POST" and path == "/__test/fail":
            rule = self.json_body() or {}
            with store.lock:
                store.failures.append(rule)
            return self.send_json(200, {"status": "armed"})
        raise APIError(404, "NotFound", f"no admin endpoint {method} {path}")

    # -- routing ------------------------------------------------------------------------------

    def route(self, method, path):
        parts = path.strip("/").split("/") if path != "/" else []
        if path == "/version":
            return self.send_json(200, {"major": "1", "minor": self.kube_minor,
                                        "gitVersion": f"v1.{self.kube_minor}.4", "gitCommit": "flowrel-test",
                                        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                                        "goVersion": "go1.23", "compiler": "gc", "platform": "linux/amd64"})
        if path in ("/api", "/apis"):
            return self.discovery_root(path == "/api")
        if path == "/openapi/v3":
            return self.send_json(200, {"paths": {
                gv_path(g, v): {"serverRelativeURL": f"/openapi/v3/{gv_path(g, v)}?hash=F10E{n:04d}"}
                for n, (g, v) in enumerate(GROUPS)}})
        if path.startswith("/openapi/v3/"):
            return self.openapi_group(path[len("/openapi/v3/"):])
        if parts[:1] == ["api"] and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        if (group, version) not in GROUPS:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        if not rest:
            if method != "GET":
                raise APIError(405, "MethodNotAllowed", "method not allowed")
            return self.send_json(200, resource_list(group, version))
        ns = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            ns, rest = rest[1], rest[2:]
        res = BY_PATH.get((group, version, rest[0]))
        if res is None or (ns is not None and not res.namespaced):
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        name = rest[1] if len(rest) > 1 else None
        sub = rest[2] if len(rest) > 2 else None
        if sub not in (None, "status") and not (sub == "scale" and res.scale_subresource):
            raise APIError(404, "NotFound", f"the server could not find the requested resource ({sub})")
        if method == "GET" and name is None:
            if self.query.get("watch") in ("true", "1"):
                return self.watch(res, ns)
            return self.list(res, ns)
        if name is None and method != "POST":
            raise APIError(405, "MethodNotAllowed", f"{method} needs an object name")
        if res.namespaced and ns is None and name is not None:
            raise APIError(404, "NotFound", "the server could not find the requested resource")
        if sub == "scale":
            return self.scale(method, res, ns, name)
        if method == "POST":
            if name is not None:
                raise APIError(405, "MethodNotAllowed", "POST goes to the collection")
            return self.create(res, ns)
        if method == "GET":
            with self.store.lock:
                return self.send_json(200, copy.deepcopy(self.store.get(res, ns, name)))
        if method == "DELETE":
            return self.delete(res, ns, name)
        if method == "PUT":
            return self.update(res, ns, name, sub)
        if method == "PATCH":
            return self.patch(res, ns, name, sub)
        raise APIError(405, "MethodNotAllowed", "method not allowed")

    # -- discovery ----------------------------------------------------------------------------

    def discovery_root(self, core):
        accept = self.headers.get("Accept", "")
        version = None
        for media in accept.split(","):
            params = dict(p.strip().split("=", 1) for p in media.split(";")[1:] if "=" in p)
            if params.get("as") == "APIGroupDiscoveryList" and params.get("v") in ("v2", "v2beta1"):
                version = params["v"]
                break
        groups = [g for g in GROUPS if (g[0] == "") == core]
        if version:
            items = []
            for group in dict.fromkeys(g for g, _ in groups):
                versions = [{"version": v, "resources": aggregated_resources(group, v), "freshness": "Current"}
                            for g, v in groups if g == group]
                items.append({"metadata": {"name": group, "creationTimestamp": None}, "versions": versions})
            body = {"kind": "APIGroupDiscoveryList", "apiVersion": f"apidiscovery.k8s.io/{version}",
                    "metadata": {}, "items": items}
            return self.send_json(200, body, f"application/json;g=apidiscovery.k8s.io;v={version};"
                                             "as=APIGroupDiscoveryList")
        if core:
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                {"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:0"}]})
        out = []
        for group in dict.fromkeys(g for g, _ in groups):
            versions = [{"groupVersion": f"{group}/{v}", "version": v} for g, v in groups if g == group]
            out.append({"name": group, "versions": versions, "preferredVersion": versions[0]})
        return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": out})

    def openapi_group(self, gv):
        match = [(g, v) for g, v in GROUPS if gv_path(g, v) == gv]
        if not match:
            raise APIError(404, "NotFound", "no OpenAPI document for " + gv)
        group, version = match[0]
        paths = {}
        for r in RES:
            if (r.group, r.version) != (group, version):
                continue
            prefix = f"/{gv}/namespaces/{{namespace}}/{r.plural}" if r.namespaced else f"/{gv}/{r.plural}"
            paths[prefix + "/{name}"] = {"patch": {
                "operationId": f"patch{r.kind}",
                "x-kubernetes-group-version-kind": {"group": group, "version": version, "kind": r.kind},
                "x-kubernetes-action": "patch",
                "parameters": [{"name": "fieldValidation", "in": "query", "schema": {"type": "string"}},
                               {"name": "fieldManager", "in": "query", "schema": {"type": "string"}},
                               {"name": "force", "in": "query", "schema": {"type": "boolean"}}],
                "responses": {"200": {"description": "OK"}}}}
        return self.send_json(200, {"openapi": "3.0.0",
                                    "info": {"title": "Kubernetes", "version": f"v1.{self.kube_minor}.4"},
                                    "paths": paths, "components": {"schemas": {}}})

    # -- reads --------------------------------------------------------------------------------

    def selected(self, res, ns):
        labels = label_matcher(self.query.get("labelSelector"))
        fields = field_matcher(self.query.get("fieldSelector"))
        items = []
        for (g, p, ons, _), obj in sorted(self.store.objects.items(), key=lambda kv: (kv[0][2] or "", kv[0][3])):
            if (g, p) != (res.group, res.plural) or (ns is not None and ons != ns):
                continue
            if labels(obj["metadata"].get("labels", {})) and fields(obj):
                items.append(copy.deepcopy(obj))
        return items

    def list(self, res, ns):
        with self.store.lock:
            items = self.selected(res, ns)
            rv = str(self.store.rv)
        accept = self.headers.get("Accept", "")
        if "as=Table" in accept:
            return self.send_json(200, {
                "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv},
                "columnDefinitions": [
                    {"name": "Name", "type": "string", "format": "name", "description": "Name", "priority": 0},
                    {"name": "Created At", "type": "date", "format": "", "description": "Created", "priority": 0}],
                "rows": [{"cells": [o["metadata"]["name"], o["metadata"].get("creationTimestamp")],
                          "object": partial_metadata(o)} for o in items]})
        if "as=PartialObjectMetadataList" in accept:
            return self.send_json(200, {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
                                        "metadata": {"resourceVersion": rv},
                                        "items": [partial_metadata(o) for o in items]})
        return self.send_json(200, {"kind": res.kind + "List", "apiVersion": res.group_version,
                                    "metadata": {"resourceVersion": rv}, "items": items})

    def watch(self, res, ns):
        store = self.store
        try:
            since = int(self.query.get("resourceVersion") or 0)
        except ValueError:
            since = 0
        timeout = float(self.query.get("timeoutSeconds") or 1800)
        labels = label_matcher(self.query.get("labelSelector"))
        fields = field_matcher(self.query.get("fieldSelector"))
        bookmarks = self.query.get("allowWatchBookmarks") == "true"
        initial = self.query.get("sendInitialEvents") == "true"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache, private")
        self.end_headers()
        self.close_connection = True

        def send(event):
            data = (json.dumps(event) + "\n").encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        def wanted(obj):
            if ns is not None and obj["metadata"].get("namespace") != ns:
                return False
            return labels(obj["metadata"].get("labels", {})) and fields(obj)

        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.daemon = True
        timer.start()
        try:
            with store.lock:
                pending = []
                if initial or since == 0:
                    pending = [{"type": "ADDED", "object": o} for o in self.selected(res, ns)]
                    if initial and bookmarks:
                        pending.append({"type": "BOOKMARK", "object": {
                            "kind": res.kind, "apiVersion": res.group_version, "metadata": {
                                "resourceVersion": str(store.rv),
                                "annotations": {"k8s.io/initial-events-end": "true"}}}})
                    since = store.rv
            while True:
                for event in pending:
                    send(event)
                with store.lock:
                    pending = [{"type": t, "object": copy.deepcopy(o)} for rv, gp, t, o in store.events
                               if rv > since and gp == (res.group, res.plural) and wanted(o)]
                    since = store.rv
                    if not pending:
                        store.lock.wait(0.25)
                if pending:
                    continue
                if deadline.is_set() or self.client_gone():
                    break
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            timer.cancel()

    def client_gone(self):
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    # -- writes -------------------------------------------------------------------------------

    def manager(self):
        """The field manager of a write: as asked, else (as a real server does) the user agent's name."""
        agent = (self.headers.get("User-Agent") or "").split("/")[0]
        return self.query.get("fieldManager") or agent or "unknown"

    def dry_run(self):
        return self.query.get("dryRun") == "All"

    def body_object(self, res, ns, name=None):
        obj = self.json_body()
        if not isinstance(obj, dict):
            raise APIError(400, "BadRequest", "the request body must be a JSON object")
        meta = obj.setdefault("metadata", {})
        if not isinstance(meta, dict):
            raise APIError(400, "BadRequest", "metadata must be an object")
        if name is not None and meta.get("name", name) != name:
            raise APIError(400, "BadRequest", f"the name of the object ({meta.get('name')}) does not match "
                                              f"the name on the URL ({name})")
        if name is not None:
            meta["name"] = name
        if res.namespaced and meta.get("namespace", ns) != ns:
            raise APIError(400, "BadRequest", "the namespace of the provided object does not match the namespace "
                                              "sent on the request")
        if not meta.get("name"):
            raise APIError(422, "Invalid", f"{res.kind} is invalid: metadata.name: Required value: name is required")
        return obj

    def create(self, res, ns):
        obj = self.body_object(res, ns)
        store = self.store
        with store.lock:
            name = obj["metadata"]["name"]
            if (res.group, res.plural, ns, name) in store.objects:
                group_plural = f"{res.plural}.{res.group}" if res.group else res.plural
                raise APIError(409, "AlreadyExists", f'{group_plural} "{name}" already exists',
                               {"name": name, "group": res.group, "kind": res.plural})
            store.namespace_check(res, ns, name)
            obj.pop("status", None)
            obj["metadata"].pop("managedFields", None)
            store.normalize(res, ns, obj, None)
            store.update_managed(obj, None, self.manager(), "Update", res.group_version)
            out = store.commit(res, ns, obj, None, self.dry_run())
        self.send_json(201, out)

    def update(self, res, ns, name, sub):
        obj = self.body_object(res, ns, name)
        store = self.store
        with store.lock:
            old = store.get(res, ns, name)
            want_rv = obj["metadata"].get("resourceVersion")
            if want_rv and want_rv != old["metadata"]["resourceVersion"]:
                raise self.rv_conflict(res, name)
            if sub == "status":
                new = copy.deepcopy(old)
                new["status"] = obj.get("status", {})
                store._store(res, ns, new, "MODIFIED") if not self.dry_run() and new != old else None
                return self.send_json(200, copy.deepcopy(new))
            obj.pop("status", None)
            store.normalize(res, ns, obj, old)
            self.keep_or_update_managed(res, obj, old)
            out = store.commit(res, ns, obj, old, self.dry_run())
        self.send_json(200, out)

    def keep_or_update_managed(self, res, obj, old):
        if "managedFields" in obj["metadata"] and obj["metadata"]["managedFields"] != old["metadata"].get("managedFields"):
            # An explicit replacement (kubectl's client-side to server-side migration) wins; a
            # list of one empty entry resets ownership, as on a real server.
            if obj["metadata"]["managedFields"] in ([], [{}]):
                obj["metadata"].pop("managedFields")
            return
        obj["metadata"]["managedFields"] = copy.deepcopy(old["metadata"].get("managedFields", []))
        self.store.update_managed(obj, old, self.manager(), "Update", res.group_version)

    def rv_conflict(self, res, name):
        group_plural = f"{res.plural}.{res.group}" if res.group else res.plural
        return APIError(409, "Conflict", f'Operation cannot be fulfilled on {group_plural} "{name}": the object has '
                                         "been modified; please apply your changes to the latest version and try again",
                        {"name": name, "group": res.group, "kind": res.plural})

    def patch(self, res, ns, name, sub):
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        body = self.json_body()
        store = self.store
        with store.lock:
            existing = store.objects.get((res.group, res.plural, ns, name))
            if content_type == "application/apply-patch+yaml":
                if not isinstance(body, dict):
                    raise APIError(400, "BadRequest", "an apply patch must be a JSON object")
                applied = copy.deepcopy(body)
                meta = applied.setdefault("metadata", {})
                if meta.get("name", name) != name:
                    raise APIError(400, "BadRequest", "the name of the object does not match the name on the URL")
                meta["name"] = name
                if res.namespaced:
                    meta["namespace"] = ns
                want_rv = meta.pop("resourceVersion", None)
                if existing is not None and want_rv and want_rv != existing["metadata"]["resourceVersion"]:
                    raise self.rv_conflict(res, name)
                if existing is None:
                    store.namespace_check(res, ns, name)
                manager = self.query.get("fieldManager")
                if not manager:
                    raise APIError(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: "
                                                   "Required value: is required for apply patch")
                applied.pop("status", None)
                meta.pop("managedFields", None)
                new = server_side_apply(res, existing, applied, manager, self.query.get("force") == "true",
                                        res.group_version)
                store.normalize(res, ns, new, existing)
                out = store.commit(res, ns, new, existing, self.dry_run())
                return self.send_json(201 if existing is None else 200, out)
            if existing is None:
                raise not_found(res, name)
            if content_type == "application/merge-patch+json":
                new = json_merge_patch(existing, body)
            elif content_type == "application/strategic-merge-patch+json":
                new = strategic_merge_patch(existing, body)
            elif content_type == "application/json-patch+json":
                if not isinstance(body, list):
                    raise APIError(400, "BadRequest", "a JSON patch must be a list of operations")
                new = json_patch(existing, body)
            else:
                raise APIError(415, "UnsupportedMediaType", f"the body of the request was in an unknown format "
                                                            f"- accepted media types include: application/json-patch+json, "
                                                            f"application/merge-patch+json, "
                                                            f"application/apply-patch+yaml, "
                                                            f"application/strategic-merge-patch+json")
            if not isinstance(new, dict):
                raise APIError(422, "Invalid", "the patch does not leave an object")
            want_rv = new.get("metadata", {}).get("resourceVersion")
            if want_rv and want_rv != existing["metadata"]["resourceVersion"]:
                raise self.rv_conflict(res, name)
            if sub == "status":
                fresh = copy.deepcopy(existing)
                fresh["status"] = new.get("status", {})
                if not self.dry_run() and fresh != existing:
                    store._store(res, ns, fresh, "MODIFIED")
                return self.send_json(200, copy.deepcopy(fresh))
            new.setdefault("metadata", {})["name"] = name
            store.normalize(res, ns, new, existing)
            self.keep_or_update_managed(res, new, existing)
            out = store.commit(res, ns, new, existing, self.dry_run())
        self.send_json(200, out)

    def scale(self, method, res, ns, name):
        """The autoscaling/v1 Scale view of a workload (`kubectl scale`)."""
        store = self.store
        with store.lock:
            obj = store.get(res, ns, name)
            if method in ("PUT", "PATCH"):
                body = self.json_body()
                content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                if method == "PUT":
                    wanted = body
                elif content_type == "application/json-patch+json" and isinstance(body, list):
                    wanted = json_patch(scale_of(obj), body)
                else:
                    wanted = json_merge_patch(scale_of(obj), body)
                replicas = (wanted or {}).get("spec", {}).get("replicas") if isinstance(wanted, dict) else None
                if not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0:
                    raise APIError(422, "Invalid", f"Scale.autoscaling \"{name}\" is invalid: spec.replicas: "
                                                   "Invalid value: must be a whole number of 0 or more")
                new = copy.deepcopy(obj)
                new.setdefault("spec", {})["replicas"] = replicas
                store.normalize(res, ns, new, obj)
                store.update_managed(new, obj, self.manager(), "Update", res.group_version)
                obj = store.commit(res, ns, new, obj, self.dry_run())
            elif method != "GET":
                raise APIError(405, "MethodNotAllowed", f"{method} is not allowed on scale")
            return self.send_json(200, scale_of(obj))

    def delete(self, res, ns, name):
        self.read_body()
        store = self.store
        with store.lock:
            obj = store.get(res, ns, name)
            if self.dry_run():
                return self.send_json(200, copy.deepcopy(obj))
            if res.kind == "Namespace":
                if obj["status"].get("phase") != "Terminating":
                    new = copy.deepcopy(obj)
                    new["status"]["phase"] = "Terminating"
                    new["metadata"]["deletionTimestamp"] = now_rfc3339()
                    store._store(res, None, new, "MODIFIED")
                    timer = threading.Timer(store.controller_delay, store.delete_namespace_contents, (name,))
                    timer.daemon = True
                    timer.start()
                return self.send_json(200, copy.deepcopy(store.get(res, ns, name)))
            delay = (obj["metadata"].get("annotations") or {}).get(DELETION_DELAY_ANNOTATION)
            if delay is not None:
                if not obj["metadata"].get("deletionTimestamp"):
                    new = copy.deepcopy(obj)
                    new["metadata"]["deletionTimestamp"] = now_rfc3339()
                    store._store(res, ns, new, "MODIFIED")
                    if delay != "never":
                        timer = threading.Timer(float(delay), store.finish_deletion, (res, ns, name))
                        timer.daemon = True
                        timer.start()
                return self.send_json(200, copy.deepcopy(store.get(res, ns, name)))
            store._store(res, ns, copy.deepcopy(obj), "DELETED")
        self.send_json(200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                             "details": {"name": name, "group": res.group, "kind": res.plural,
                                         "uid": obj["metadata"].get("uid")}})


def gv_path(group, version):
    return f"apis/{group}/{version}" if group else f"api/{version}"


VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def aggregated_resources(group, version):
    out = []
    for r in RES:
        if (r.group, r.version) != (group, version):
            continue
        entry = {"resource": r.plural, "responseKind": {"group": group, "version": version, "kind": r.kind},
                 "scope": "Namespaced" if r.namespaced else "Cluster", "singularResource": r.singular,
                 "verbs": VERBS}
        if r.short_names:
            entry["shortNames"] = r.short_names
        if r.group in ("apps", "batch", "") and r.kind not in ("Namespace", "ConfigMap", "Secret", "ServiceAccount",
                                                                "Endpoints", "PersistentVolumeClaim",
                                                                "PersistentVolume", "LimitRange", "ResourceQuota"):
            entry["categories"] = ["all"]
        subs = []
        if r.has_status:
            subs.append({"subresource": "status", "responseKind": entry["responseKind"],
                         "verbs": ["get", "patch", "update"]})
        if r.scale_subresource:
            subs.append({"subresource": "scale",
                         "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
                         "verbs": ["get", "patch", "update"]})
        if subs:
            entry["subresources"] = subs
        out.append(entry)
    return out


def resource_list(group, version):
    resources = []
    for r in RES:
        if (r.group, r.version) != (group, version):
            continue
        entry = {"name": r.plural, "singularName": r.singular, "namespaced": r.namespaced, "kind": r.kind,
                 "verbs": VERBS}
        if r.short_names:
            entry["shortNames"] = r.short_names
        resources.append(entry)
        if r.has_status:
            resources.append({"name": r.plural + "/status", "singularName": "", "namespaced": r.namespaced,
                              "kind": r.kind, "verbs": ["get", "patch", "update"]})
        if r.scale_subresource:
            resources.append({"name": r.plural + "/scale", "singularName": "", "namespaced": r.namespaced,
                              "group": "autoscaling", "version": "v1", "kind": "Scale",
                              "verbs": ["get", "patch", "update"]})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": resources}


def scale_of(obj):
    meta = obj["metadata"]
    labels = obj.get("spec", {}).get("selector", {}).get("matchLabels", {}) or {}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                         if k in meta},
            "spec": {"replicas": obj.get("spec", {}).get("replicas", 1)},
            "status": {"replicas": obj.get("status", {}).get("replicas", 0),
                       "selector": ",".join(f"{k}={v}" for k, v in sorted(labels.items()))}}


def partial_metadata(obj):
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
            "metadata": copy.deepcopy(obj["metadata"])}


def main():
    parser = argparse.ArgumentParser(description="Kubernetes API test server for flowrel's tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--port-file", help="write the chosen port here once listening")
    parser.add_argument("--kube-version", default="1.32", help="the version /version reports (1.29-1.33)")
    parser.add_argument("--controller-delay", type=float, default=0.2,
                        help="seconds before a workload becomes ready")
    parser.add_argument("--fail-all", type=int, metavar="CODE", help="answer every API request with this status")
    args = parser.parse_args()

    store = Store(args.controller_delay)
    if args.fail_all:
        store.failures.append({"code": args.fail_all, "message": "the test server fails every request", "times": -1})
    Handler.store = store
    Handler.kube_minor = args.kube_version.split(".")[1] if "." in args.kube_version else args.kube_version
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # A parent may start us with these signals blocked (Foundation's Process does); unblock them so
    # that SIGTERM stops the server.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.server_address[1]))
        os.replace(tmp, args.port_file)
    try:
        server.serve_forever(poll_interval=0.1)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
