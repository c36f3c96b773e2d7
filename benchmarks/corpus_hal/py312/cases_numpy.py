"""numpy 2.5: hallucinations assistants write (1.x names, pandas/torch/list idioms)."""
import numpy as np
import numpy.typing as npt


def load_scores() -> npt.NDArray[np.float64]:
    return np.linspace(0.0, 1.0, 11)


def case_float_alias():
    values = np.zeros(4)
    return values.astype(np.float_)  # HAL: version-drift; receiver=module


def case_nan_alias():
    data = np.array([1.0, 2.0])
    data[0] = np.NaN  # HAL: version-drift; receiver=module
    return data


def case_product():
    shape = (3, 4)
    return np.product(shape)  # HAL: version-drift; receiver=module


def case_asscalar():
    total = np.array([5]).sum()
    return np.asscalar(total)  # HAL: version-drift; receiver=module


def case_ptp_method():
    readings = np.array([3.0, 9.0, 4.0])
    return readings.ptp()  # HAL: version-drift; receiver=constructor


def case_round_alias():
    prices = np.array([1.234, 5.678])
    return np.round_(prices, 2)  # HAL: version-drift; receiver=module


def case_cast_dict():
    ints = np.arange(5)
    return np.cast["float32"](ints)  # HAL: version-drift; receiver=module


def case_to_list():
    grid = np.linspace(0, 1, 5)
    return grid.to_list()  # HAL: other-library-idiom; receiver=factory


def case_append_method():
    acc = np.zeros(3)
    acc.append(4.0)  # HAL: other-library-idiom; receiver=factory
    return acc


def case_rng_randint():
    rng = np.random.default_rng(42)
    return rng.randint(0, 10, size=3)  # HAL: other-library-idiom; receiver=factory


def case_concat_ignore_index():
    a, b = np.ones(2), np.zeros(2)
    return np.concatenate([a, b], ignore_index=True)  # HAL: other-library-idiom; receiver=call


def case_linalg_inverse():
    m = np.eye(3) * 2
    return np.linalg.inverse(m)  # HAL: invented-member; receiver=module


def case_flatten_copy_kw():
    m = np.arange(6).reshape(2, 3)
    return m.flatten(order="C", copy=True)  # HAL: invented-keyword; receiver=chain


def case_where_arity():
    x = np.arange(4)
    return np.where(x > 1, x, 0, -1)  # HAL: arity; receiver=call


def case_helper_return_member():
    scores = load_scores()
    return scores.std_dev()  # HAL: invented-member; receiver=helper-return


def case_histogram_unpack():
    counts, edges = np.histogram(np.arange(10), bins=3)
    return edges.midpoints()  # HAL: invented-member; receiver=unpack


def case_row_norm():
    out = []
    for row in np.eye(3):
        out.append(row.norm())  # HAL: other-library-idiom; receiver=loop
    return out


def case_mean_keepdim():
    x = np.ones((2, 2))
    return x.mean(axis=0, keepdim=True)  # HAL: other-library-idiom; receiver=factory


def case_unique_return_count():
    labels = np.array([1, 1, 2])
    return np.unique(labels, return_count=True)  # HAL: invented-keyword; receiver=call


def case_in1d():
    a = np.array([1, 2, 3])
    return np.in1d(a, [2])  # HAL: version-drift; receiver=module


def case_trapz():
    y = np.array([1.0, 2.0, 3.0])
    return np.trapz(y)  # HAL: version-drift; receiver=module


def case_dtype_chain():
    arr = np.arange(3, dtype=np.int32)
    return arr.dtype.is_integer()  # HAL: invented-member; receiver=chain


def case_zeros_shape_arity():
    return np.zeros(3, 4)  # HAL: arity; receiver=call
