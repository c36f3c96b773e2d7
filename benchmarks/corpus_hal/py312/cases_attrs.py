"""attrs 26: invented keywords on field/asdict/evolve, pydantic idioms, arity of generated __init__."""
import attr
import attrs


@attrs.define
class Point:
    x: int
    y: int = 0


@attrs.frozen
class Config:
    name: str
    retries: int = 3


def origin() -> Point:
    return Point(0, 0)


def case_field_validators_kw():
    return attrs.field(default=1, validators=[attrs.validators.instance_of(int)])  # HAL: invented-keyword; receiver=call


def case_asdict_exclude():
    return attrs.asdict(Point(1, 2), exclude={"y"})  # HAL: invented-keyword; receiver=call


def case_evolve_unknown_field():
    cfg = Config("svc")
    return attrs.evolve(cfg, timeout=5)  # HAL: invented-keyword; receiver=kwargs-forward


def case_to_dict():
    return attrs.to_dict(origin())  # HAL: other-library-idiom; receiver=module


def case_init_arity():
    return Point(1, 2, 3)  # HAL: arity; receiver=call


def case_attr_ib_convert():
    return attr.ib(type=int, convert=int)  # HAL: version-drift; receiver=call


def case_model_fields():
    return Point.model_fields  # HAL: other-library-idiom; receiver=class


def case_validators_in_range():
    return attrs.validators.in_range(0, 10)  # HAL: invented-member; receiver=module


def case_instance_dict_method():
    p = origin()
    return p.dict()  # HAL: other-library-idiom; receiver=helper-return


def case_frozen_replace_method():
    cfg = Config("svc")
    return cfg.replace(retries=5)  # HAL: other-library-idiom; receiver=constructor
