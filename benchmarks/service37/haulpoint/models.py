"""ORM models (SQLAlchemy 2.0 through Flask-SQLAlchemy 3)."""
from datetime import datetime, timezone

from sqlalchemy import UniqueConstraint

from .extensions import db


def utcnow():
    return datetime.now(timezone.utc)


class Shipper(db.Model):
    __tablename__ = "shippers"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    credit_limit_cents = db.Column(db.BigInteger, nullable=False, default=0)
    balance_cents = db.Column(db.BigInteger, nullable=False, default=0)
    fuel_surcharge_pct = db.Column(db.Numeric(6, 3), nullable=False, default=0)  # SAFE: float-money
    rate_per_mile = db.Column(db.Float, nullable=False, default=2.35)  # SEEDED: EDGE float-money
    api_key_prefix = db.Column(db.String(12), unique=True)
    api_key_hash = db.Column(db.String(128))
    scopes = db.Column(db.String(200), default="loads:read")
    webhook_url = db.Column(db.String(500))
    webhook_secret = db.Column(db.String(64))
    timezone = db.Column(db.String(64), default="America/Chicago")
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)  # SAFE: naive-datetime
    users = db.relationship("User", back_populates="shipper")


class User(db.Model):
    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(254), unique=True, nullable=False)
    name = db.Column(db.String(200), nullable=False, default="")
    phone = db.Column(db.String(32))
    password_hash = db.Column(db.String(128), nullable=False)
    role = db.Column(db.String(20), nullable=False, default="shipper_user")
    shipper_id = db.Column(db.Integer, db.ForeignKey("shippers.id"))
    totp_secret = db.Column(db.String(64))
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    failed_logins = db.Column(db.Integer, nullable=False, default=0)
    token_version = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)
    shipper = db.relationship("Shipper", back_populates="users")


class Carrier(db.Model):
    __tablename__ = "carriers"
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    mc_number = db.Column(db.String(20), unique=True)
    insurance_expiry = db.Column(db.Date)


class Driver(db.Model):
    __tablename__ = "drivers"
    id = db.Column(db.Integer, primary_key=True)
    carrier_id = db.Column(db.Integer, db.ForeignKey("carriers.id"), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"))
    name = db.Column(db.String(200), nullable=False)
    phone = db.Column(db.String(32))
    licence_number = db.Column(db.String(40))
    licence_state = db.Column(db.String(2))
    licence_expiry = db.Column(db.Date)
    home_tz = db.Column(db.String(64), default="America/Chicago")
    hazmat_endorsed = db.Column(db.Boolean, default=False)


class Vehicle(db.Model):
    __tablename__ = "vehicles"
    id = db.Column(db.Integer, primary_key=True)
    carrier_id = db.Column(db.Integer, db.ForeignKey("carriers.id"), nullable=False)
    plate = db.Column(db.String(16), nullable=False)
    odometer_km = db.Column(db.Numeric(10, 1), default=0)
    max_weight_kg = db.Column(db.Integer, default=20000)
    device_serial = db.Column(db.String(40), unique=True)
    device_secret = db.Column(db.String(64))


class Load(db.Model):
    __tablename__ = "loads"
    id = db.Column(db.Integer, primary_key=True)
    shipper_id = db.Column(db.Integer, db.ForeignKey("shippers.id"), nullable=False, index=True)
    reference = db.Column(db.String(64))
    tracking_number = db.Column(db.String(32), unique=True, nullable=False)
    status = db.Column(db.String(20), nullable=False, default="tendered")
    version = db.Column(db.Integer, nullable=False, default=1)
    weight_kg = db.Column(db.Integer, nullable=False, default=0)
    length_cm = db.Column(db.Integer)
    width_cm = db.Column(db.Integer)
    height_cm = db.Column(db.Integer)
    hazmat_class = db.Column(db.String(8))
    carrier_id = db.Column(db.Integer, db.ForeignKey("carriers.id"))
    driver_id = db.Column(db.Integer, db.ForeignKey("drivers.id"))
    vehicle_id = db.Column(db.Integer, db.ForeignKey("vehicles.id"))
    price_cents = db.Column(db.BigInteger)
    notes = db.Column(db.Text, default="")
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)
    delivered_at = db.Column(db.DateTime(timezone=True))
    stops = db.relationship("Stop", order_by="Stop.seq", cascade="all, delete-orphan")


class Stop(db.Model):
    __tablename__ = "stops"
    __table_args__ = (UniqueConstraint("load_id", "seq"),)
    id = db.Column(db.Integer, primary_key=True)
    load_id = db.Column(db.Integer, db.ForeignKey("loads.id"), nullable=False)
    seq = db.Column(db.Integer, nullable=False)
    kind = db.Column(db.String(10), nullable=False)
    address = db.Column(db.String(300), nullable=False)
    lat = db.Column(db.Float)
    lon = db.Column(db.Float)
    tz = db.Column(db.String(64), nullable=False, default="America/Chicago")
    window_start = db.Column(db.DateTime(timezone=True))
    window_end = db.Column(db.DateTime(timezone=True))
    arrived_at = db.Column(db.DateTime(timezone=True))
    departed_at = db.Column(db.DateTime(timezone=True))


class Quote(db.Model):
    __tablename__ = "quotes"
    id = db.Column(db.Integer, primary_key=True)
    shipper_id = db.Column(db.Integer, db.ForeignKey("shippers.id"), nullable=False)
    load_id = db.Column(db.Integer, db.ForeignKey("loads.id"))
    miles = db.Column(db.Integer, nullable=False)
    base_cents = db.Column(db.BigInteger, nullable=False)
    fuel_cents = db.Column(db.BigInteger, nullable=False, default=0)
    accessorial_cents = db.Column(db.BigInteger, nullable=False, default=0)
    total_cents = db.Column(db.BigInteger, nullable=False)
    status = db.Column(db.String(12), nullable=False, default="open")
    expires_at = db.Column(db.DateTime(timezone=True))


class Invoice(db.Model):
    __tablename__ = "invoices"
    id = db.Column(db.Integer, primary_key=True)
    shipper_id = db.Column(db.Integer, db.ForeignKey("shippers.id"), nullable=False, index=True)
    load_id = db.Column(db.Integer, db.ForeignKey("loads.id"))
    number = db.Column(db.String(20), unique=True, nullable=False)
    amount_cents = db.Column(db.BigInteger, nullable=False)
    paid_cents = db.Column(db.BigInteger, nullable=False, default=0)
    credited_cents = db.Column(db.BigInteger, nullable=False, default=0)
    status = db.Column(db.String(12), nullable=False, default="open")
    issued_at = db.Column(db.DateTime(timezone=True), default=utcnow)
    due_date = db.Column(db.Date)


class CreditNote(db.Model):
    __tablename__ = "credit_notes"
    id = db.Column(db.Integer, primary_key=True)
    invoice_id = db.Column(db.Integer, db.ForeignKey("invoices.id"), nullable=False)
    amount_cents = db.Column(db.BigInteger, nullable=False)
    reason = db.Column(db.String(300))
    created_by = db.Column(db.Integer, db.ForeignKey("users.id"))
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)


class Payment(db.Model):
    __tablename__ = "payments"
    id = db.Column(db.Integer, primary_key=True)
    invoice_id = db.Column(db.Integer, db.ForeignKey("invoices.id"), nullable=False)
    provider_ref = db.Column(db.String(64), unique=True, nullable=False)
    amount_cents = db.Column(db.BigInteger, nullable=False)
    received_at = db.Column(db.DateTime(timezone=True), default=utcnow)


class HosLog(db.Model):
    __tablename__ = "hos_logs"
    id = db.Column(db.Integer, primary_key=True)
    driver_id = db.Column(db.Integer, db.ForeignKey("drivers.id"), nullable=False, index=True)
    status = db.Column(db.String(12), nullable=False)
    started_at = db.Column(db.DateTime(timezone=True), nullable=False)
    ended_at = db.Column(db.DateTime(timezone=True))


class Ping(db.Model):
    __tablename__ = "pings"
    id = db.Column(db.BigInteger, primary_key=True)
    vehicle_id = db.Column(db.Integer, db.ForeignKey("vehicles.id"), nullable=False, index=True)
    lat = db.Column(db.Float, nullable=False)
    lon = db.Column(db.Float, nullable=False)
    speed_kph = db.Column(db.Float)
    odometer_km = db.Column(db.Numeric(10, 1))
    recorded_at = db.Column(db.DateTime(timezone=True), nullable=False)
    received_at = db.Column(db.DateTime, default=datetime.utcnow)  # SEEDED: EDGE naive-datetime


class Geofence(db.Model):
    __tablename__ = "geofences"
    id = db.Column(db.Integer, primary_key=True)
    shipper_id = db.Column(db.Integer, db.ForeignKey("shippers.id"), nullable=False)
    name = db.Column(db.String(120), nullable=False)
    lat = db.Column(db.Float, nullable=False)
    lon = db.Column(db.Float, nullable=False)
    radius_m = db.Column(db.Integer, nullable=False, default=500)
    polygon = db.Column(db.JSON)


class Document(db.Model):
    __tablename__ = "documents"
    id = db.Column(db.Integer, primary_key=True)
    load_id = db.Column(db.Integer, db.ForeignKey("loads.id"), nullable=False, index=True)
    kind = db.Column(db.String(20), nullable=False)
    storage_key = db.Column(db.String(300), nullable=False)
    filename = db.Column(db.String(255), nullable=False)
    content_type = db.Column(db.String(100))
    size = db.Column(db.Integer)
    uploaded_by = db.Column(db.Integer, db.ForeignKey("users.id"))
    ocr_status = db.Column(db.String(12), default="none")
    ocr_text = db.Column(db.Text)
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)


class Subscription(db.Model):
    __tablename__ = "subscriptions"
    id = db.Column(db.Integer, primary_key=True)
    shipper_id = db.Column(db.Integer, db.ForeignKey("shippers.id"), nullable=False)
    channel = db.Column(db.String(10), nullable=False)
    target = db.Column(db.String(500), nullable=False)
    events = db.Column(db.String(200), default="status")


class AuditLog(db.Model):
    __tablename__ = "audit_log"
    id = db.Column(db.BigInteger, primary_key=True)
    user_id = db.Column(db.Integer)
    action = db.Column(db.String(60), nullable=False)
    detail = db.Column(db.Text)
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)
