"""seatmarket: an event ticketing and booking marketplace.

Organisers list events at venues, buyers hold seats and book them, partners (resellers and venue
box offices) receive webhooks and SFTP drops, and the back office refunds, pays out and exports.

Parts:
    app          the public FastAPI app (routers from api_events, api_orders, api_partners, uploads)
    backoffice   the Flask back office for staff (Flask-Login, session cookies)
    tasks        Celery tasks (payouts, waitlists, e-mail, partner drops)
    workers      in-process threads and asyncio loops (hold sweeper, rate cache)
"""

__version__ = "0.7.0"
