"""Writes of the service desk: tickets (tickets.py), inbound e-mail (correo.py), SLA and closing jobs (sla.py)."""
