# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import Crm360UserFactory
from .fake_model_loader import Crm360FakeModelLoader

DAY0 = datetime(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestStageHistoryMixin(Crm360UserFactory, TransactionCase):
    """The append-only stage history shared by opportunities and tickets, on a
    throwaway model: one row per transition (several in one transaction too),
    creation in a stage, loss and restoration by archiving, a stage computed from
    another field, the "in stage since" date and age, rows nobody edits, and the
    rebuild of a missing history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = Crm360FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        from .fake_models import (
            StageHistoryEntryFake,
            StageHistoryRecordFake,
            StageHistoryStageFake,
        )

        cls.loader.update_registry(
            (StageHistoryStageFake, StageHistoryRecordFake, StageHistoryEntryFake)
        )
        cls.Record = cls.env[StageHistoryRecordFake._name]
        cls.History = cls.env[StageHistoryEntryFake._name]
        Stage = cls.env[StageHistoryStageFake._name]
        cls.draft = Stage.create({"name": "Draft", "sequence": 1})
        cls.review = Stage.create({"name": "Review", "sequence": 2, "kind": "big"})
        cls.done = Stage.create({"name": "Done", "sequence": 3})
        cls.no_stage = Stage.browse()
        cls.user = cls._new_user("c360_history_user")

    @classmethod
    def tearDownClass(cls):
        cls.loader.restore_registry()
        super().tearDownClass()

    def _create(self, **vals):
        with freeze_time(DAY0):
            return self.Record.create(
                dict({"name": "Record", "stage_id": self.draft.id}, **vals)
            )

    def _rows(self, records):
        return self.History.search([("record_id", "in", records.ids)], order="id")

    def _events(self, record):
        return [
            (row.event, row.stage_from_id, row.stage_to_id)
            for row in self._rows(record)
        ]

    def test_created_in_a_stage(self):
        record = self._create(amount=120.0, flagged=True)
        row = self._rows(record)
        self.assertEqual(len(row), 1)
        self.assertEqual(
            (row.event, row.stage_from_id, row.stage_to_id),
            ("create", self.no_stage, self.draft),
        )
        self.assertEqual(row.date, DAY0)
        self.assertEqual(row.amount, 120.0, "the model's own snapshot")
        self.assertEqual(row.changed_by_id, self.env.user)
        self.assertFalse(row.company_id, "the record has no company")
        self.assertFalse(row.imported)
        self.assertEqual(record.stage_entered_date, DAY0)
        self.assertFalse(record.flagged, "cleared on entering a stage")
        # Without a stage, and archived at once: created, then lost.
        bare, lost = self.Record.create(
            [{"name": "No stage", "stage_id": False}, {"name": "Lost", "active": False}]
        )
        self.assertEqual(self._events(bare), [("create", self.no_stage, self.no_stage)])
        self.assertEqual(
            self._events(lost),
            [
                ("create", self.no_stage, self.no_stage),
                ("lost", self.no_stage, self.no_stage),
            ],
        )

    def test_each_transition_one_row(self):
        record = self._create()
        with freeze_time("2026-03-04 10:00:00"):
            record.stage_id = self.review
            record.stage_id = self.done
        self.assertEqual(
            self._events(record),
            [
                ("create", self.no_stage, self.draft),
                ("stage", self.draft, self.review),
                ("stage", self.review, self.done),
            ],
            "two moves in one transaction: two rows",
        )
        self.assertEqual(
            self._rows(record)[1:].mapped("date"), [datetime(2026, 3, 4, 10)] * 2
        )
        self.assertEqual(record.stage_entered_date, datetime(2026, 3, 4, 10))
        # A batch write: one row per record; no change, no row.
        others = self._create() | self._create()
        (record | others).write({"stage_id": self.done.id, "name": "Renamed"})
        self.assertEqual(len(self._rows(record)), 3, "already there")
        for other in others:
            self.assertEqual(
                self._events(other)[1:], [("stage", self.draft, self.done)]
            )
        record.write({"amount": 10.0})
        self.assertEqual(len(self._rows(record)), 3)

    def test_stage_computed_from_another_field(self):
        record = self._create()
        record.kind = "big"
        self.assertEqual(record.stage_id, self.review)
        self.assertEqual(self._events(record)[-1], ("stage", self.draft, self.review))

    def test_lost_and_restored(self):
        record = self._create(amount=50.0)
        with freeze_time("2026-03-05 09:00:00"):
            record.action_archive()
        self.assertEqual(self._events(record)[-1], ("lost", self.draft, self.draft))
        self.assertEqual(record.stage_entered_date, DAY0, "a loss enters nothing")
        with freeze_time("2026-03-06 09:00:00"):
            record.action_unarchive()
        self.assertEqual(self._events(record)[-1], ("restore", self.draft, self.draft))
        self.assertEqual(record.stage_entered_date, datetime(2026, 3, 6, 9))
        # Moved and lost in one write: both, in that order.
        record.write({"stage_id": self.review.id, "active": False})
        self.assertEqual(
            self._events(record)[-2:],
            [("stage", self.draft, self.review), ("lost", self.review, self.review)],
        )

    def test_stage_age(self):
        record = self._create(flagged=True)
        with freeze_time("2026-03-07 10:00:00"):
            record.invalidate_recordset(["stage_age_days"])
            self.assertEqual(record.stage_age_days, 5, "whole days")
            record.write({"stage_id": self.review.id, "flagged": True})
            self.assertFalse(record.flagged)
            record.invalidate_recordset(["stage_age_days"])
            self.assertEqual(record.stage_age_days, 0)
        self.assertFalse(self.Record.new({"name": "Unsaved"}).stage_age_days)

    def test_append_only(self):
        record = self._create()
        row = self._rows(record)
        with self.assertRaisesRegex(UserError, "append-only"):
            row.write({"event": "lost"})
        with self.assertRaisesRegex(UserError, "cannot be entered by hand"):
            self.History.create(
                {"record_id": record.id, "event": "stage", "date": DAY0}
            )
        with self.assertRaisesRegex(UserError, "deleted only with their record"):
            row.with_user(self.user).unlink()
        # The application's own door.
        self.History.with_context(stage_history_append=True).create(
            {"record_id": record.id, "event": "stage", "stage_to_id": self.done.id}
        )
        self.assertEqual(len(self._rows(record)), 2)
        # Rows go with their record.
        record.unlink()
        self.assertFalse(row.exists())

    def test_rebuilt_when_missing(self):
        """Records written around the ORM get a history from their current state
        (no tracking on this model): created in their stage, lost if archived."""
        kept = self._create()
        with freeze_time("2026-03-03 09:00:00"):
            bare = self._create()
            lost = self._create(active=False)
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM stage_history_entry_fake WHERE record_id IN %s",
            [(bare.id, lost.id)],
        )
        self.env.cr.execute(
            "UPDATE stage_history_record_fake SET stage_entered_date = NULL "
            "WHERE id IN %s",
            [(bare.id, lost.id)],
        )
        self.env.invalidate_all()
        self.assertEqual(self.Record._stage_history_init(), 3)
        self.assertEqual(self._events(bare), [("create", self.no_stage, self.draft)])
        self.assertEqual(
            self._events(lost),
            [("create", self.no_stage, self.draft), ("lost", self.draft, self.draft)],
        )
        self.assertTrue(all(self._rows(bare | lost).mapped("imported")))
        self.assertEqual(self._rows(bare).date, bare.create_date)
        self.assertEqual(bare.stage_entered_date, bare.create_date)
        self.assertEqual(len(self._rows(kept)), 1, "a history is left alone")
        self.assertEqual(self.Record._stage_history_init(), 0)

    def test_stays(self):
        """Time in stage, defined once: a stay runs from entering a stage to the
        next transition; the loss ends it, the restore starts one; a current stay
        counts up to now, only while the record is still active in that stage."""
        moved = self._create(name="Moved")
        waiting = self._create(name="Waiting", stage_id=self.review.id)
        gone = self._create(name="Gone")
        with freeze_time(datetime(2026, 3, 4, 9, 0)):  # day 2
            moved.stage_id = self.review
        with freeze_time(datetime(2026, 3, 7, 9, 0)):  # day 5
            (moved | gone).active = False
        with freeze_time(datetime(2026, 3, 8, 9, 0)):  # day 6
            moved.active = True
        records = moved | waiting | gone
        with freeze_time(datetime(2026, 3, 12, 9, 0)):  # day 10
            self.env.flush_all()
            self.env.cr.execute(
                self.Record._stage_stays_sql(
                    self.Record.with_context(active_test=False)
                    ._search([("id", "in", records.ids)])
                    .subselect()
                )
            )
            stays = sorted(
                (
                    row["rec_id"],
                    row["stage_id"],
                    round(row["days"], 6),
                    row["is_current"],
                )
                for row in self.env.cr.dictfetchall()
            )
        self.assertEqual(
            stays,
            sorted(
                [
                    (moved.id, self.draft.id, 2, False),
                    (moved.id, self.review.id, 3, False),  # ended by the loss
                    (moved.id, self.review.id, 4, True),  # since the restore
                    (waiting.id, self.review.id, 10, True),
                    (gone.id, self.draft.id, 5, False),  # lost: no current stay
                ]
            ),
        )

    def test_stays_with_snapshot_columns(self):
        """The stays give, on request, what their entering entry snapshots, read
        in the same scan; a name that is no stored column of the history is
        refused."""
        record = self._create(name="Snapshot", amount=50.0)
        with freeze_time(datetime(2026, 3, 4, 9, 0)):
            record.write({"amount": 80.0, "stage_id": self.review.id})
        with freeze_time(datetime(2026, 3, 6, 9, 0)):
            self.env.flush_all()
            self.env.cr.execute(
                self.Record._stage_stays_sql(
                    self.Record._search([("id", "=", record.id)]).subselect(),
                    columns=("amount",),
                )
            )
            stays = sorted(
                (row["stage_id"], round(row["days"], 6), row["amount"])
                for row in self.env.cr.dictfetchall()
            )
        self.assertEqual(
            stays, sorted([(self.draft.id, 2, 50.0), (self.review.id, 2, 80.0)])
        )
        with self.assertRaises(ValueError):
            self.Record._stage_stays_sql(columns=("amount; DROP TABLE x",))
