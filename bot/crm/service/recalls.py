"""Recall campaigns: which vehicles are affected."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.crm import models, schemas
from bot.crm.errors import CRMValidationError
from bot.crm.identifiers import normalize_plate, normalize_vin
from bot.crm.service import mapping
from bot.crm.service.base import ServiceBase


class RecallOperations(ServiceBase):
    """Recall look-ups by VIN or plate."""

    def find_recalls(
        self, *, vin: str | None = None, plate: str | None = None
    ) -> list[schemas.RecallNotice]:
        """Return the open recall campaigns for a vehicle, identified by VIN or plate.

        A VIN is checked against the campaigns even when the vehicle is not in
        our CRM (bought used, say); a plate only finds vehicles we know.

        Raises:
            CRMValidationError: Neither a well-formed VIN nor a plate was given.

        """
        wanted_vin = normalize_vin(vin)
        wanted_plate = normalize_plate(plate)
        if vin is not None and wanted_vin is None:
            raise CRMValidationError("vin must have 17 letters and digits")
        if wanted_vin is None and wanted_plate is None:
            raise CRMValidationError("give a vin or a plate")
        with self._reading() as session:
            if wanted_vin is not None:
                vehicle = session.execute(
                    select(models.Vehicle).where(models.Vehicle.vin == wanted_vin)
                ).scalar_one_or_none()
                return _notices(session, {wanted_vin: vehicle})
            vehicles = session.execute(
                select(models.Vehicle).where(models.Vehicle.plate_normalized == wanted_plate)
            ).scalars()
            return _notices(session, {vehicle.vin: vehicle for vehicle in vehicles})


def _notices(
    session: Session, by_vin: dict[str, models.Vehicle | None]
) -> list[schemas.RecallNotice]:
    if not by_vin:
        return []
    rows = session.execute(
        select(models.RecallVehicle)
        .where(models.RecallVehicle.vin.in_(by_vin))
        .order_by(models.RecallVehicle.id)
    ).scalars()
    return [mapping.recall_notice(row.campaign, row.vin, by_vin[row.vin]) for row in rows]
