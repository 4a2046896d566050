"""Django's PostgreSQL backend, with a health check that costs no round trip.

With CONN_HEALTH_CHECKS, Django asks a kept connection `SELECT 1` before the first query of every
request, so that a connection the server dropped (a restart, a failover) is replaced instead of
failing the request. That question was one in ten of an RSVP's round trips. A server that drops a
connection closes its socket, after saying why: both make the socket readable. So: if the socket
has nothing to read, the connection is as good as it was; if it has, read it without waiting and
see whether the connection survived.
"""

import select

from django.db.backends.postgresql import base
from psycopg import OperationalError, pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed or self.connection.broken:
            return False
        pgconn = self.connection.pgconn
        try:
            # The server's goodbye comes as a message, then the end of the stream: read until the
            # socket has nothing more (a notice or a notification is read and changes nothing).
            for _ in range(8):
                readable, _, _ = select.select([pgconn.socket], [], [], 0)
                if not readable:
                    break
                pgconn.consume_input()
            else:
                return False
        except (OperationalError, OSError, ValueError):
            return False
        return pgconn.status == pq.ConnStatus.OK
