"""Blind set 3 (written without running vetpy or reading its rules): contourpy 1."""
import contourpy
import numpy as np

Z = np.arange(16.0).reshape(4, 4)


def case_filled_one_level():
    gen = contourpy.contour_generator(z=Z)
    # filled() needs a lower and an upper level
    return gen.filled(5.0)  # HAL: arity; receiver=factory


def case_generator_contour():
    gen = contourpy.contour_generator(z=Z)
    # matplotlib's Axes.contour; the generator has lines() / filled()
    return gen.contour(5.0)  # HAL: other-library-idiom; receiver=factory


def case_algorithm_keyword():
    # the algorithm is chosen with ``name=``
    return contourpy.contour_generator(z=Z, algorithm="mpl2014")  # HAL: invented-keyword; receiver=call
