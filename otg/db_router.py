"""Send some reads to a PostgreSQL read replica (DATABASE_REPLICA_URL); every write goes to the primary.

Only the apps in DATABASE_REPLICA_APPS read from the replica: content that editors change rarely and
that tolerates a replica's lag of a moment. Inside a transaction every read stays on the primary, and
select_for_update() counts as a write, so services that lock and check (capacity, counters) see the
primary's truth. So does every read of a request that renders what the caches keep (it has read the
generations, otg.common.caching): kept, a moment's lag would last until the next write.
"""

from django.conf import settings
from django.db import connections

from otg.common.caching import reads_from_primary

PRIMARY = "default"
REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        if connections[PRIMARY].in_atomic_block or reads_from_primary():
            return PRIMARY
        if model._meta.app_label in settings.DATABASE_REPLICA_APPS:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: rows on either side are the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
