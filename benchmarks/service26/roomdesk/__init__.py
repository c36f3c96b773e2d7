"""RoomDesk: meeting-room and venue booking (Django 5 + django-ninja)."""
