"""SEC029 public-cloud-storage-acl: an S3 object or bucket is written with a public canned ACL."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import keyword
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

PUBLIC_ACL = rule(
    code="SEC029",
    name="public-cloud-storage-acl",
    family="SEC",
    severity=Severity.WARNING,
    summary='An S3 object or bucket is made public (ACL="public-read", "public-read-write", "authenticated-read").',
    rationale="""A canned ACL of `public-read` lets anyone on the internet read the object (or
    list the bucket) by its URL, with no expiry and no log of who did; `public-read-write` also
    lets anyone write, and `authenticated-read` means any AWS account at all. Keep objects
    private and hand out short-lived links (`generate_presigned_url`), or serve public assets
    through a bucket policy or CDN chosen for that purpose. Not reported: `public-read` on a key
    whose text starts in a folder named for public files (`Key=f"public/{name}"`, `static/`,
    `assets/`): the object was put there to be public.""",
    bad="""
        import boto3

        s3 = boto3.client("s3")
        s3.put_object(Bucket="attachments", Key=key, Body=body, ACL="public-read")
    """,
    good="""
        s3.put_object(Bucket="attachments", Key=key, Body=body)
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "attachments", "Key": key}, ExpiresIn=300)
    """,
    cwe=(732, 284),
    fix_safety=FixSafety.UNSAFE,
)

_PUBLIC = frozenset({"public-read", "public-read-write", "authenticated-read"})
# client and resource methods that take ACL= (botocore's S3 model), and those that take ExtraArgs=
_ACL_METHODS = frozenset({"put_object", "create_bucket", "put_object_acl", "put_bucket_acl", "copy_object", "create_multipart_upload",
                          "put", "create", "copy_from", "initiate_multipart_upload"})
_EXTRA_ARGS_METHODS = frozenset({"upload_file", "upload_fileobj", "copy"})


def _public(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and node.value in _PUBLIC:
        return node.value  # type: ignore[return-value]
    return None


_PUBLIC_FOLDERS = ("public/", "static/", "assets/")


def _public_folder(call: ast.Call, position: int | None, func: ast.AST | None = None) -> bool:
    """Is the object's key (``Key=``, or the argument at ``position``) a text starting in a folder
    named for public files: ``"public/logo.png"``, ``f"public/{key}"``, ``"static/" + name``, or a
    local name of ``func`` bound once, to such a text (``key = f"public/{id}/{name}"``)?"""
    kw = keyword(call, "Key")
    key = kw.value if kw is not None else call.args[position] if position is not None and len(call.args) > position else None
    if isinstance(key, ast.Name) and func is not None:
        bound = [n for n in ast.walk(func) if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.NamedExpr))
                 and any(isinstance(t, ast.Name) and t.id == key.id for t in _targets(n))]
        key = bound[0].value if len(bound) == 1 and isinstance(bound[0], ast.Assign) and len(bound[0].targets) == 1 else None
    while isinstance(key, ast.BinOp) and isinstance(key.op, ast.Add):
        key = key.left
    if isinstance(key, ast.JoinedStr) and key.values:
        key = key.values[0]
    return isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.lstrip("/").startswith(_PUBLIC_FOLDERS)


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return [e for t in node.targets for e in ([*t.elts] if isinstance(t, (ast.Tuple, ast.List)) else [t])]
    target = getattr(node, "target", None)
    return [e for e in ([*target.elts] if isinstance(target, (ast.Tuple, ast.List)) else [target]) if e is not None]


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    attr = site.attr
    if attr in _ACL_METHODS:
        kw = keyword(call, "ACL")
        if kw is not None and (acl := _public(kw.value)) and not (acl == "public-read" and _public_folder(call, None, site.func)):
            yield PUBLIC_ACL.finding(sec.doc, kw, _message(acl), fixes=[_private(sec, kw.value)])
    elif attr in _EXTRA_ARGS_METHODS:
        kw = keyword(call, "ExtraArgs")
        if kw is None or not isinstance(kw.value, ast.Dict):
            return
        for key, value in zip(kw.value.keys, kw.value.values, strict=True):
            if key is not None and isinstance(key, ast.Constant) and key.value == "ACL" and (acl := _public(value)) \
                    and not (acl == "public-read" and _public_folder(call, 2, site.func)):
                yield PUBLIC_ACL.finding(sec.doc, value, _message(acl), fixes=[_private(sec, value)])


def _private(sec: SecurityPass, acl: ast.expr) -> Fix:
    return Fix('Make it private (ACL="private")', (sec.doc.replace_node(acl, '"private"'),))


def _message(acl: str) -> str:
    who = {"public-read": "anyone on the internet can read it", "public-read-write": "anyone on the internet can read and overwrite it",
           "authenticated-read": "any AWS account can read it"}[acl]
    return f'`ACL="{acl}"`: {who} by its URL; keep it private and hand out presigned URLs'


MODULE = RuleModule(
    rules=(PUBLIC_ACL,),
    handlers={ast.Call: check_call},
    triggers=Triggers(exact=("public-read", "authenticated-read")),
)
