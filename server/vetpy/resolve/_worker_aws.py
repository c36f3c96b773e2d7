"""boto3 clients and resources for the introspection worker: the classes botocore and boto3
generate from the service models installed with them, made as boto3 makes them (nothing is sent).

Stdlib only; runs INSIDE the target interpreter as part of the worker program (its source is put
before ``_worker.py``'s, whose ``_import`` it uses, and ``_canonical`` of ``_worker_canonical.py``).  Never imported by vetpy.
"""

import inspect

# -- AWS clients -------------------------------------------------------------------------------
# ``boto3.client("s3")``: botocore generates the client's class from the service model installed
# with it (one method per operation, keyword arguments only) plus what the class-creation handlers
# of botocore and boto3 inject (``generate_presigned_url``, S3's ``upload_file``...).
# "botocore.client:<service>" names that class; "botocore.client:<service>|paginator:<operation>"
# and "...|waiter:<name>" the classes its get_paginator() and get_waiter() make for that name.
# The client is made as boto3 makes it, with dummy credentials and a fixed region: nothing is
# sent (an unknown service, operation or waiter raises: unverifiable).
_AWS_CLIENT = "botocore.client:"
_AWS_CLIENTS = {}  # id(generated class) -> the names its __getattr__ serves (botocore's aliases of renamed operations)
_AWS_MADE = {}  # name after the prefix -> class (kept: its id stays its own)

# ``boto3.resource("s3")``: boto3 generates the resource classes from its resource model
# (boto3/data/<service>/<version>/resources-1.json): identifiers and attributes as properties,
# actions, waiters, sub-resources (``Bucket(name)``) as methods, collections (``bucket.objects``)
# as properties giving a generated CollectionManager, whose all()/filter()/limit()/page_size()
# give the generated ResourceCollection.  "...:<service>|resource" names the service resource's
# class, "...|resource:<Type>" a resource type's class, "...|manager:<Type>/<collection>" and
# "...|collection:<Type>/<collection>" a collection's classes (no <Type>: the service resource's).
_AWS_RESOURCES = {}  # id(generated class) -> (service, kind, arg, its identifiers | the type of its elements)
_AWS_COLLECTING = ("all", "filter", "limit", "page_size", "iterator")  # give the collection (a clone)


def _aws_class(name):
    cls = _AWS_MADE.get(name)
    if cls is None:
        service, _, made = name.partition("|")
        kind, _, arg = made.partition(":")
        if not made:
            cls = type(_aws_client(service))
        elif kind in ("paginator", "waiter"):
            # get_paginator: type(name, (Paginator,), {'paginate': ...}); get_waiter likewise (Waiter, wait)
            cls = type(getattr(_aws_client(service), "get_" + kind)(arg))
            _AWS_CLIENTS[id(cls)] = []
        elif kind in ("resource", "manager", "collection"):
            cls, detail = _aws_resource_class(service, kind, arg)
            _AWS_RESOURCES[id(cls)] = (service, kind, arg, detail)
        else:
            raise ValueError("not a class made for an AWS client: %r" % name)
        _AWS_MADE[name] = cls
    return cls


def _aws_session():
    boto3_session = _import("boto3.session")  # installed code only (never the project's own)
    return boto3_session.Session(aws_access_key_id="vetpy", aws_secret_access_key="vetpy", region_name="us-east-1")


def _aws_client(service):
    client = _AWS_MADE.get(service + "|client")
    if client is not None:
        return client
    handlers = _import("botocore.handlers")
    client = _aws_session().client(service)
    cls = type(client)
    prefix = "getattr.%s." % client.meta.service_model.service_id.hyphenize()
    _AWS_CLIENTS[id(cls)] = sorted(entry[0][len(prefix):] for entry in handlers.BUILTIN_HANDLERS
                               if isinstance(entry[0], str) and entry[0].startswith(prefix))
    _AWS_MADE[service + "|client"] = client  # no connection is opened before a request
    return client


def _aws_operation(cls, raw):
    """Is ``raw`` an operation method of a generated client class (``def _api_call(self, *args,
    **kwargs)``, which raises TypeError on any positional argument)?"""
    return id(cls) in _AWS_CLIENTS and getattr(raw, "__qualname__", "").endswith("._create_api_method.<locals>._api_call")


def _aws_made_by(raw, maker):
    """The variables of the boto3 factory closure ``raw`` (a sub-resource method, or a collection
    property's getter) when it was made by ``ResourceFactory.<maker>``, else None."""
    fn = raw.fget if isinstance(raw, property) else raw
    if not inspect.isfunction(fn) or not fn.__qualname__.startswith("ResourceFactory.%s.<locals>." % maker) \
            or not fn.__module__.startswith("boto3."):
        return None
    return inspect.getclosurevars(fn).nonlocals


def _aws_resource_class(service, kind, arg):
    """(the class, its identifiers) of a resource, (the class, the resource type of its
    elements) of a collection manager or collection."""
    if kind == "resource":
        cls = _aws_resource_type(service, arg)
        meta = cls.__dict__.get("meta")
        identifiers = list(getattr(meta, "identifiers", None) or ())
        if meta is None or not all(isinstance(i, str) for i in identifiers):
            raise ValueError("not a resource class boto3 makes: %r" % arg)
        return cls, identifiers
    owner, _, name = arg.partition("/")
    parent = _aws_class(service + "|resource" + (":" + owner if owner else ""))
    made = _aws_made_by(parent.__dict__.get(name), "_create_collection") or {}
    manager = made.get("cls")
    element = getattr(getattr(made.get("collection_model"), "resource", None), "type", None)
    if not isinstance(manager, type) or not isinstance(element, str):
        raise ValueError("no collection %r of %r" % (name, owner or service))
    return manager if kind == "manager" else manager._collection_cls, element


def _aws_resource_type(service, arg):
    if not arg:
        return type(_aws_session().resource(service))  # the client it makes opens no connection
    # as the sub-resource method makes it (``create_resource``): the factory and the service's
    # context are those of the service resource's own sub-resource methods and collections
    root = _aws_class(service + "|resource")
    for raw in vars(root).values():
        made = _aws_made_by(raw, "_create_class_partial") or _aws_made_by(raw, "_create_collection")
        if made and "factory_self" in made and "service_context" in made:
            context = made["service_context"]
            definition = context.resource_json_definitions.get(arg)
            if not isinstance(definition, dict):
                break
            return made["factory_self"].load_from_definition(
                resource_name=arg, single_resource_json_definition=definition, service_context=context)
    raise ValueError("no resource %r in the model of %r" % (arg, service))


def _aws_path(cls):
    """The worker's name of a resource, collection manager or collection class boto3 made."""
    made = _AWS_RESOURCES.get(id(cls))
    if made is None:
        return None
    service, kind, arg, _ = made
    return "%s%s|%s%s" % (_AWS_CLIENT, service, kind, ":" + arg if arg else "")


def _aws_returns(cls, name, raw):
    """What reading or calling the member ``name`` (``raw``) of a class boto3 made gives, when it
    is one of those classes: a sub-resource method its resource type's class, a collection
    property its manager, the manager's and the collection's all()/filter()... the collection."""
    made = _AWS_RESOURCES.get(id(cls))
    if made is None:
        return None
    service, kind, arg, _ = made
    prefix = "%s%s|" % (_AWS_CLIENT, service)
    if kind == "resource":
        if _aws_made_by(raw, "_create_class_partial") is not None and isinstance(raw.__name__, str):
            return prefix + "resource:" + raw.__name__  # create_resource.__name__ = the resource type
        if isinstance(raw, property) and _aws_made_by(raw, "_create_collection") is not None:
            return "%smanager:%s/%s" % (prefix, arg, name)
        return None
    if name in _AWS_COLLECTING and inspect.isfunction(raw):
        return prefix + "collection:" + arg
    return None


def _aws_iterated(cls, name):
    """The return form of ``__iter__`` of a collection class boto3 made: an iterator of its
    resource type's instances (the collection's ResourceHandler builds them with the factory
    from the same model, as a sub-resource method does), else None."""
    made = _AWS_RESOURCES.get(id(cls))
    if made is None or made[1] != "collection" or name != "__iter__":
        return None
    return ["collections.abc.Iterator", "%s%s|resource:%s" % (_AWS_CLIENT, made[0], made[3])]


def _aws_attrs(cls, klass):
    """What the code of ``klass`` (in the MRO of ``cls``) sets on an instance of ``cls`` when
    boto3 or botocore made one of them, else what its source says (``_source_attrs``).  A
    generated class has no source and sets nothing on ``self``; boto3's ServiceResource sets
    ``meta`` and, with a computed ``setattr``, ``_<identifier>`` for the identifiers in the
    generated class's model."""
    if id(klass) in _AWS_CLIENTS:
        return set(_AWS_CLIENTS[id(klass)])  # a client's __getattr__ serves botocore's aliases of renamed operations
    if id(klass) in _AWS_RESOURCES:
        return set()
    made = _AWS_RESOURCES.get(id(cls))
    if made is not None and made[1] == "resource" and _canonical(klass) == "boto3.resources.base.ServiceResource":
        return {"meta"} | {"_" + i for i in made[3]}
    return _source_attrs(klass)
