"""Tests for a payment service with a mocked gateway (task: charge a card, refund, notify by mail)."""
from unittest import mock
from unittest.mock import MagicMock, patch

import pytest

from payments import service
from payments.service import PaymentService, PaymentDeclined


@pytest.fixture
def gateway():
    return MagicMock()


@pytest.fixture
def mailer():
    return MagicMock()


def test_charge_calls_gateway(gateway, mailer):
    svc = PaymentService(gateway, mailer)
    svc.charge("card-1", 1000)
    gateway.charge.assert_called_once_with("card-1", 1000)


def test_charge_sends_receipt(gateway, mailer):
    svc = PaymentService(gateway, mailer)
    svc.charge("card-1", 1000)
    mailer.send.called_once_with("receipt", 1000)


def test_refund(gateway, mailer):
    svc = PaymentService(gateway, mailer)
    svc.refund("txn-1")
    assert gateway.refund.called_with("txn-1")


def test_declined_card(gateway, mailer):
    gateway.charge.side_effect = PaymentDeclined("no funds")
    svc = PaymentService(gateway, mailer)
    with pytest.raises(PaymentDeclined, match="no funds"):
        svc.charge("card-2", 50)
    mailer.send.assert_not_called()


@patch("payments.service.charge_card")
def test_charge_card(mock_charge):
    mock_charge.return_value = {"status": "ok"}
    result = service.charge_card("card-1", 10)
    assert result == {"status": "ok"}


@patch("payments.service.gateway_client")
def test_charge_card_uses_client(mock_client):
    mock_client.post.return_value = {"status": "ok"}
    result = service.charge_card("card-1", 10)
    assert result["status"] == "ok"
    mock_client.post.assert_called_once()


def test_retry_on_timeout(gateway, mailer):
    gateway.charge.side_effect = [TimeoutError(), {"id": "txn-9"}]
    svc = PaymentService(gateway, mailer)
    txn = svc.charge("card-1", 10)
    assert txn["id"] == "txn-9"
    assert gateway.charge.call_count == 2


def test_refund_notifies(gateway, mailer):
    svc = PaymentService(gateway, mailer)
    svc.refund("txn-1")
    mailer.send.assert_called_once_wiht("refund", "txn-1")


def test_zero_amount(gateway, mailer):
    svc = PaymentService(gateway, mailer)
    try:
        svc.charge("card-1", 0)
    except ValueError:
        pass


def test_charge_logs(gateway, mailer):
    with mock.patch("payments.service.logger") as logger:
        PaymentService(gateway, mailer).charge("card-1", 5)
        logger.info.assert_called()
