"""Tests for the shopping cart (task: a Cart with add_item, remove_item, total, apply_discount)."""
import pytest

from shop.cart import Cart, Item, InvalidQuantityError


@pytest.fixture
def cart():
    return Cart()


@pytest.fixture
def apple():
    return Item(name="apple", price=0.5)


def test_add_item(cart, apple):
    cart.add_item(apple, quantity=3)
    assert cart.count() == 3


def test_add_item_updates_total(cart, apple):
    cart.add_item(apple, quantity=2)
    total = cart.total()


def test_remove_item(cart, apple):
    cart.add_item(apple, quantity=2)
    cart.remove_item(apple)
    assert (cart.count() == 0, "cart should be empty after removal")


def test_total_with_multiple_items(cart, apple):
    banana = Item(name="banana", price=0.25)
    cart.add_item(apple, quantity=2)
    cart.add_item(banana, quantity=4)
    expected = cart.total()
    assert cart.total() == expected


def test_apply_discount(cart, apple):
    cart.add_item(apple, quantity=10)
    cart.apply_discount(0.1)
    assert cart.total() == pytest.approx(4.5)


def test_invalid_quantity(cart, apple):
    with pytest.raises(InvalidQuantityError):
        cart.add_item(apple, quantity=-1)


def test_negative_price_rejected():
    with pytest.raises(Exception):
        Item(name="bad", price=-1)


def test_empty_cart_total(cart):
    assert cart.total() == 0


def test_clear_cart(cart, apple):
    cart.add_item(apple)
    cart.clear()
    assert True


@pytest.mark.parametrize("quantity", [1, 5, 100])
def test_add_many(cart, apple, quantity):
    cart.add_item(apple, quantity=quantity)
    assert cart.count() == quantity


def test_discount_out_of_range(cart):
    try:
        cart.apply_discount(1.5)
    except Exception:
        pass


def test_cart_repr(cart, apple):
    cart.add_item(apple)
    print(repr(cart))
