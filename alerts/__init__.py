"""Alerts: messages worth reading, routed to the targets that asked for them, delivered exactly once in practice.

- ``render``    one pure function per event (stance change, new mention, source health, digest, test)
- ``templates`` the message templates, files a user can override (see ``templating``)
- ``routing``   which targets want an event, and the outbox rows it causes
- ``dispatch``  delivering due outbox rows through apprise, with retries and ops alerts
- ``digest``    daily or weekly summaries per target
- ``channels``  format and length limit per apprise URL; masking secrets for logs
"""
