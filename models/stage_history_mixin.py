# Copyright 2026 crm_360 contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .stage_history_entry_mixin import STAGE_ENTERING_EVENTS


class StageHistoryMixin(models.AbstractModel):
    """Append-only stage history for a model with a stage.

    Every stage transition of every record is appended to a history model (one row
    per transition, even when a record changes stage several times in one
    transaction, which Odoo's tracking folds into one message), together with the
    record's creation in its first stage and, when the model can be archived, its
    loss (archiving) and restoration.

    The inheriting model names its history model and that model's many2one to it::

        _stage_history_model = "crm.lead.stage.history"
        _stage_history_link = "lead_id"

    and may override :meth:`_stage_history_event` (e.g. "won") and
    :meth:`_stage_history_values` (what to snapshot), plus
    :meth:`_stage_history_init_columns` for the same snapshot in SQL when existing
    records are initialised from tracking (:meth:`_stage_history_init`).
    """

    _name = "stage.history.mixin"
    _description = "Stage History Mixin"

    _stage_history_model = None
    _stage_history_link = None
    _stage_history_stage_field = "stage_id"
    # Whether archiving / unarchiving is a loss / restoration (opportunities).
    _stage_history_track_active = True

    stage_entered_date = fields.Datetime(
        string="In Stage Since",
        readonly=True,
        copy=False,
        help="When the record last entered its current stage (or was restored).",
    )
    stage_age_days = fields.Integer(
        string="Days in Stage",
        compute="_compute_stage_age_days",
        help="Whole days since the record entered its current stage.",
    )

    def _compute_stage_age_days(self):
        now = fields.Datetime.now()
        for record in self:
            entered = record.stage_entered_date
            record.stage_age_days = (now - entered).days if entered else 0

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._stage_history_append()
        return records

    def write(self, vals):
        if not self._stage_history_watched(vals):
            return super().write(vals)
        before = {record.id: record._stage_history_state() for record in self}
        res = super().write(vals)
        self._stage_history_append(before)
        return res

    @api.readonly
    def action_view_stage_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            f"crm_360.{self._stage_history_model.replace('.', '_')}_action"
        )
        action["domain"] = [(self._stage_history_link, "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _stage_history_watched(self, vals):
        """Whether a write with these values may change the stage or the active
        state (a computed stage follows the fields it depends on)."""
        stage_field = self._fields[self._stage_history_stage_field]
        watched = {stage_field.name}
        if self._stage_history_tracks_active():
            watched.add("active")
        if stage_field.compute:
            watched.update(
                dep.split(".")[0] for dep in self.pool.field_depends[stage_field]
            )
        return not watched.isdisjoint(vals)

    def _stage_history_state(self):
        self.ensure_one()
        active = self.active if self._stage_history_tracks_active() else True
        return self[self._stage_history_stage_field], active

    def _stage_history_tracks_active(self):
        return self._stage_history_track_active and "active" in self._fields

    def _stage_history_entered_values(self):
        """Values written on records entering a stage (besides the date)."""
        return {}

    def _stage_history_event(self, old_stage, new_stage):
        """The event of a move from ``old_stage`` to ``new_stage``."""
        return "stage"

    def _stage_history_values(self, event):
        """What the history snapshots of the record for this event."""
        self.ensure_one()
        return {}

    def _stage_history_append(self, before=None):
        """Append the entries of the transitions of these records.

        :param before: record id -> (stage, active) before the write; ``None`` for
            records just created.
        """
        link = self._stage_history_link
        now = fields.Datetime.now()
        vals_list = []
        entered_ids = []
        for record in self:
            stage, active = record._stage_history_state()
            events = []
            if before is None:
                events.append(("create", stage.browse(), stage))
                if not active:
                    events.append(("lost", stage, stage))
            else:
                old_stage, old_active = before[record.id]
                if old_stage != stage:
                    event = record._stage_history_event(old_stage, stage)
                    events.append((event, old_stage, stage))
                if old_active and not active:
                    events.append(("lost", stage, stage))
                elif active and not old_active:
                    events.append(("restore", stage, stage))
            for event, from_stage, to_stage in events:
                vals = {
                    link: record.id,
                    "date": now,
                    "event": event,
                    "changed_by_id": self.env.uid,
                    "stage_from_id": from_stage.id,
                    "stage_to_id": to_stage.id,
                    "company_id": "company_id" in record._fields
                    and record.company_id.id,
                }
                vals.update(record._stage_history_values(event))
                vals_list.append(vals)
            if any(event[0] in STAGE_ENTERING_EVENTS for event in events):
                entered_ids.append(record.id)
        if vals_list:
            self.env[self._stage_history_model].sudo().with_context(
                stage_history_append=True
            ).create(vals_list)
        if entered_ids:
            # A date the application keeps: written whatever the user's rights.
            self.browse(entered_ids).sudo().write(
                dict(self._stage_history_entered_values(), stage_entered_date=now)
            )

    # ------------------------------------------------------------------
    # Time in stage: the stays of the history
    # ------------------------------------------------------------------

    def _stage_stays_sql(self, records=None, columns=()):
        """SQL query of the stays of records in their stages: the one definition
        of time in stage, read by every report, limit and alarm that needs it.

        A stay starts when a record enters a stage (an entering event of its
        history: created in it, moved to it, restored in it) and ends at its next
        transition (a move, or its loss). A stay without a next transition is the
        current one, counted up to now, only while the record is still in that
        stage and (when it can be archived) not lost; any other unfinished stay
        (a record changed around the ORM) is no stay. Stays in a won stage (see
        :meth:`_stage_history_init_won_sql`) are no stays: nobody leaves them and
        no alarm applies there.

        :param records: SQL query of the ids of the records to consider (e.g. those
            the reader may open), or ``None`` for all of them.
        :param columns: names of columns of the entering entry to return as well
            (what it snapshots, e.g. ``team_id``), read in the same scan.
        :return: ``SQL`` with the columns ``history_id`` (the entering entry, for
            what it snapshots), ``rec_id``, ``stage_id``, ``date`` (start),
            ``days`` (fractional days, until now for the current stay),
            ``is_current`` and the ``columns``.
        """
        history_model = self.env[self._stage_history_model]
        for column in columns:
            if column not in history_model._fields or not (
                history_model._fields[column].store
            ):
                raise ValueError(f"{column!r} is no stored column of the history")
        stage_field = self._stage_history_stage_field
        stage_table = self.env[self._fields[stage_field].comodel_name]._table
        link = SQL.identifier(self._stage_history_link)
        return SQL(
            """
            SELECT ordered.id AS history_id, ordered.rec_id, ordered.stage_id,
                   ordered.date,
                   EXTRACT(EPOCH FROM (
                       COALESCE(ordered.next_date, %(now)s) - ordered.date
                   )) / 86400.0 AS days,
                   ordered.next_date IS NULL AS is_current%(outer_columns)s
              FROM (
                    SELECT hist.id, hist.%(link)s AS rec_id, hist.event,
                           hist.stage_to_id AS stage_id, hist.date%(inner_columns)s,
                           LEAD(hist.date) OVER (
                               PARTITION BY hist.%(link)s ORDER BY hist.date, hist.id
                           ) AS next_date
                      FROM %(history)s hist
                     WHERE %(records)s
                   ) ordered
              JOIN %(table)s rec ON rec.id = ordered.rec_id
              JOIN %(stage_table)s stage ON stage.id = ordered.stage_id
             WHERE ordered.event IN %(entering)s
               AND NOT (%(won)s)
               AND (ordered.next_date IS NOT NULL
                    OR (%(active)s AND rec.%(stage_col)s = ordered.stage_id))
            """,
            now=fields.Datetime.now(),
            link=link,
            outer_columns=SQL("").join(
                SQL(", ordered.%s", SQL.identifier(column)) for column in columns
            ),
            inner_columns=SQL("").join(
                SQL(", hist.%s", SQL.identifier(column)) for column in columns
            ),
            history=SQL.identifier(history_model._table),
            records=SQL("TRUE")
            if records is None
            else SQL("hist.%s IN (%s)", link, records),
            table=SQL.identifier(self._table),
            stage_table=SQL.identifier(stage_table),
            entering=STAGE_ENTERING_EVENTS,
            won=self._stage_history_init_won_sql(),
            active=SQL("rec.active")
            if self._stage_history_tracks_active()
            else SQL("TRUE"),
            stage_col=SQL.identifier(stage_field),
        )

    # ------------------------------------------------------------------
    # Initialisation from Odoo's tracking, in SQL
    # ------------------------------------------------------------------

    def _stage_history_init_columns(self):
        """History column -> SQL expression on the record (alias ``rec``) and the
        event being rebuilt (alias ``ev``: ``ev.event``)."""
        return {}

    def _stage_history_init_won_sql(self):
        """SQL boolean: the stage aliased ``stage`` is a won stage."""
        return SQL("FALSE")

    def _stage_history_init_stage_date_sql(self):
        """SQL: when the record (alias ``rec``) entered its current stage, as far
        as the model knows it without tracking."""
        return SQL("rec.write_date")

    def _stage_history_init_lost_date_sql(self):
        """SQL: when the archived record (alias ``rec``) was lost, as far as the
        model knows it without tracking."""
        return SQL("rec.write_date")

    def _stage_history_init(self):
        """Give every record that has no history one, rebuilt in set-based SQL from
        Odoo's stage (and active) tracking and the record's current state.

        Run when the history table is created (installation) and on every update,
        for records written around the ORM meanwhile (imports in SQL, tracking
        disabled). Records that already have a history are left alone.
        """
        cr = self.env.cr
        table = self._table
        if not column_exists(cr, table, "stage_entered_date"):
            create_column(cr, table, "stage_entered_date", "timestamp")
        history = self.env[self._stage_history_model]
        stage_field = self._stage_history_stage_field
        stage_table = self.env[self._fields[stage_field].comodel_name]._table
        has_active = self._stage_history_tracks_active()
        extra = self._stage_history_init_columns()
        if "company_id" in self._fields:
            extra["company_id"] = SQL("rec.company_id")
        # A stage-less record, or a stage deleted since, is recorded without stage.
        query = SQL(
            """
            WITH todo AS (
                SELECT rec.id
                  FROM %(table)s rec
                 WHERE NOT EXISTS (
                        SELECT 1 FROM %(history)s h WHERE h.%(link)s = rec.id)
            ),
            tracking AS (
                SELECT msg.res_id AS rec_id, msg.date, msg.create_uid AS user_id,
                       val.id AS seq, fld.name AS fname,
                       val.old_value_integer AS old_value,
                       val.new_value_integer AS new_value
                  FROM mail_tracking_value val
                  JOIN mail_message msg ON msg.id = val.mail_message_id
                  JOIN ir_model_fields fld ON fld.id = val.field_id
                  JOIN todo ON todo.id = msg.res_id
                 WHERE msg.model = %(model)s AND fld.model = %(model)s
                   AND fld.name IN (%(stage_field)s, %(active_field)s)
            ),
            first_stage AS (
                SELECT DISTINCT ON (rec_id) rec_id, old_value
                  FROM tracking
                 WHERE fname = %(stage_field)s
              ORDER BY rec_id, date, seq
            ),
            raw_events AS (
                SELECT rec.id AS rec_id, rec.create_date AS date,
                       rec.create_uid AS user_id, 0 AS seq, 'create' AS event,
                       NULL::integer AS stage_from,
                       CASE WHEN fs.rec_id IS NULL THEN rec.%(stage_col)s
                            ELSE fs.old_value END AS stage_to
                  FROM %(table)s rec
                  JOIN todo ON todo.id = rec.id
             LEFT JOIN first_stage fs ON fs.rec_id = rec.id
                UNION ALL
                SELECT rec_id, date, user_id, seq, 'stage', old_value, new_value
                  FROM tracking
                 WHERE fname = %(stage_field)s
                UNION ALL
                SELECT rec_id, date, user_id, seq,
                       CASE WHEN new_value = 1 THEN 'restore' ELSE 'lost' END,
                       NULL, NULL
                  FROM tracking
                 WHERE fname = %(active_field)s
            ),
            chained AS (
                -- lost / restore happen in the stage of the moment
                SELECT ev.*,
                       COUNT(ev.stage_to) OVER w AS stage_group
                  FROM raw_events ev
                WINDOW w AS (PARTITION BY ev.rec_id ORDER BY ev.date, ev.seq
                             ROWS UNBOUNDED PRECEDING)
            ),
            events AS (
                SELECT ch.rec_id, ch.date, ch.user_id, ch.seq, ch.event,
                       CASE WHEN ch.event IN ('lost', 'restore')
                            THEN FIRST_VALUE(ch.stage_to) OVER g
                            ELSE ch.stage_from END AS stage_from,
                       CASE WHEN ch.event IN ('lost', 'restore')
                            THEN FIRST_VALUE(ch.stage_to) OVER g
                            ELSE ch.stage_to END AS stage_to
                  FROM chained ch
                WINDOW g AS (PARTITION BY ch.rec_id, ch.stage_group
                             ORDER BY ch.date, ch.seq)
            ),
            last_state AS (
                SELECT DISTINCT ON (rec_id) rec_id, stage_to, date
                  FROM events
                 WHERE event NOT IN ('lost', 'restore')
              ORDER BY rec_id, date DESC, seq DESC
            ),
            last_active AS (
                SELECT DISTINCT ON (rec_id) rec_id, event, date
                  FROM events
                 WHERE event IN ('lost', 'restore')
              ORDER BY rec_id, date DESC, seq DESC
            ),
            closing AS (
                -- the tracking misses the move to the current stage
                SELECT rec.id AS rec_id,
                       GREATEST(ls.date, COALESCE(%(stage_date)s, rec.write_date))
                           AS date,
                       rec.write_uid AS user_id, 2147483646 AS seq,
                       'stage' AS event, ls.stage_to AS stage_from,
                       rec.%(stage_col)s AS stage_to
                  FROM %(table)s rec
                  JOIN last_state ls ON ls.rec_id = rec.id
                 WHERE rec.%(stage_col)s IS DISTINCT FROM ls.stage_to
                   AND rec.%(stage_col)s IS NOT NULL
                UNION ALL
                -- archived without tracking of it
                SELECT rec.id,
                       GREATEST(ls.date, COALESCE(%(lost_date)s, rec.write_date)),
                       rec.write_uid,
                       2147483647, 'lost', rec.%(stage_col)s, rec.%(stage_col)s
                  FROM %(table)s rec
                  JOIN last_state ls ON ls.rec_id = rec.id
             LEFT JOIN last_active la ON la.rec_id = rec.id
                 WHERE %(inactive)s AND la.event IS DISTINCT FROM 'lost'
            ),
            all_events AS (
                SELECT * FROM events UNION ALL SELECT * FROM closing
            )
            INSERT INTO %(history)s (
                %(link)s, date, event, changed_by_id, stage_from_id, stage_to_id,
                imported, create_uid, create_date, write_uid, write_date
                %(extra_columns)s)
            SELECT ev.rec_id, ev.date,
                   CASE WHEN ev.event = 'stage' AND %(won)s THEN 'won'
                        ELSE ev.event END,
                   users.id, stage_from.id, stage.id,
                   TRUE, %(uid)s, NOW() AT TIME ZONE 'UTC',
                   %(uid)s, NOW() AT TIME ZONE 'UTC'
                   %(extra_values)s
              FROM all_events ev
              JOIN %(table)s rec ON rec.id = ev.rec_id
         LEFT JOIN res_users users ON users.id = ev.user_id
         LEFT JOIN %(stage_table)s stage_from ON stage_from.id = ev.stage_from
         LEFT JOIN %(stage_table)s stage ON stage.id = ev.stage_to
          ORDER BY ev.rec_id, ev.date, ev.seq
            """,
            table=SQL.identifier(table),
            history=SQL.identifier(history._table),
            link=SQL.identifier(self._stage_history_link),
            model=self._name,
            stage_field=stage_field,
            stage_col=SQL.identifier(stage_field),
            active_field="active" if has_active else "",
            inactive=SQL("NOT rec.active") if has_active else SQL("FALSE"),
            stage_table=SQL.identifier(stage_table),
            won=self._stage_history_init_won_sql(),
            stage_date=self._stage_history_init_stage_date_sql(),
            lost_date=self._stage_history_init_lost_date_sql(),
            uid=self.env.uid,
            extra_columns=SQL("").join(
                SQL(", %s", SQL.identifier(column)) for column in extra
            ),
            extra_values=SQL("").join(SQL(", %s", value) for value in extra.values()),
        )
        cr.execute(query)
        inserted = cr.rowcount
        cr.execute(
            SQL(
                """
                UPDATE %(table)s rec
                   SET stage_entered_date = entered.date
                  FROM (SELECT %(link)s AS rec_id, MAX(date) AS date
                          FROM %(history)s
                         WHERE event IN %(entering)s
                      GROUP BY %(link)s) entered
                 WHERE entered.rec_id = rec.id
                   AND rec.stage_entered_date IS NULL
                """,
                table=SQL.identifier(table),
                history=SQL.identifier(history._table),
                link=SQL.identifier(self._stage_history_link),
                entering=STAGE_ENTERING_EVENTS,
            )
        )
        # Written in SQL: what the ORM cached before is stale.
        self.invalidate_model(["stage_entered_date"])
        history.invalidate_model()
        return inserted
