"""The configurator's form (with the solution it composes), the feed upload and the lines filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ictmonitor.connectivity import selectors
from ictmonitor.connectivity.models import Module, Offer, OfferPrice, Provider, Subscription
from ictmonitor.connectivity.services import Quote, SolutionError, quote
from ictmonitor.jobs.uploads import max_upload_mb
from ictmonitor.registry.models import Institution


@dataclass
class ModuleOption:
    """A module as the configurator offers it: chosen or not, and why it cannot be, if so."""

    module: Module
    name: str
    does: str
    risk: str
    price: Decimal | None
    checked: bool = False
    reason: str = ""
    unit: str = "line"

    @property
    def disabled(self) -> bool:
        """A module that may not be chosen now, and is not chosen, cannot be ticked."""
        return bool(self.reason) and not self.checked


@dataclass
class Solution:
    """What the chosen line costs a month, item by item, and the risks it leaves uncovered."""

    options: list[ModuleOption]
    offer_note: str = ""
    offer_name: str = ""
    tier: OfferPrice | None = None
    total: Decimal | None = None
    adjustments: list[str] = field(default_factory=list)
    quote: Quote | None = None

    @property
    def chosen(self) -> list[ModuleOption]:
        """The modules chosen, in catalogue order."""
        return [o for o in self.options if o.checked]

    @property
    def quoted_modules(self) -> list[tuple[Any, ModuleOption]]:
        """Each module of the quote with its option, in catalogue order."""
        if self.quote is None:
            return []
        options = {o.module.code: o for o in self.options}
        return [(item, options[item.code]) for item in self.quote.items]

    @property
    def vat_percent(self) -> str:
        """The VAT rate as a percentage (`21`)."""
        return f"{(self.quote.version.vat_rate * 100).normalize():f}" if self.quote else ""

    @property
    def version_name(self) -> str:
        """The quote's catalogue version in the page's language."""
        return selectors.text(self.quote.version, "name") if self.quote else ""

    @property
    def uncovered(self) -> list[ModuleOption]:
        """The modules not chosen: each one's risk is left to the school."""
        return [o for o in self.options if not o.checked]


class ConfigureForm(forms.Form):
    """One location's line: provider, offer, bandwidth and modules."""

    location = forms.ChoiceField(label=gettext_lazy("Location"))
    provider = forms.ChoiceField(label=gettext_lazy("Provider"), widget=forms.RadioSelect)
    offer = forms.ChoiceField(label=gettext_lazy("Offer"), widget=forms.RadioSelect)
    download_mbps = forms.TypedChoiceField(label=gettext_lazy("Bandwidth"), coerce=int)
    modules = forms.MultipleChoiceField(label=gettext_lazy("Modules"), required=False)
    access_points = forms.IntegerField(
        label=gettext_lazy("Wi-Fi access points"), min_value=0, max_value=999, required=False,
        help_text=gettext_lazy("Managed Wi-Fi is priced per access point."))
    devices = forms.IntegerField(
        label=gettext_lazy("PCs to back up"), min_value=0, max_value=9999, required=False,
        help_text=gettext_lazy("PC backup is priced per device."))

    # Bound: a mutable copy of the posted QueryDict (adjusted in place); unbound: Django's empty
    # MultiValueDict. The stubs type Form.data as a read-only Mapping.
    data: MultiValueDict[str, Any]

    def __init__(self, data: Any = None, *, institution: Institution, adjust: bool = False,
                 initial: dict[str, Any] | None = None) -> None:
        """`adjust`: fit the choices to each other (Calculate) instead of refusing them."""
        if data is not None:
            data = data.copy()
        super().__init__(data, initial=initial)
        self.institution = institution
        self.places = {loc.number: loc for loc in institution.locations.order_by(
            "-is_main", "number")}
        self.offers = {o.code: o for o in Offer.objects.all()}
        self.catalogue = selectors.modules()
        self.prices = selectors.Prices()
        self.fields["location"].choices = [  # type: ignore[attr-defined]
            (n, f"{n} · {loc.name}" + (f" ({_('main location')})" if loc.is_main else ""))
            for n, loc in self.places.items()
        ]
        self.fields["provider"].choices = [  # type: ignore[attr-defined]
            (p.code, p.name) for p in selectors.priced_providers()
        ]
        self.fields["offer"].choices = [  # type: ignore[attr-defined]
            (code, self.prices.offer_name(self.current("provider"), o))
            for code, o in self.offers.items()
        ]
        self.fields["modules"].choices = [  # type: ignore[attr-defined]
            (m.code, selectors.text(m, "name")) for m in self.catalogue
        ]
        self.adjustments: list[str] = []
        if self.is_bound and adjust:
            self._fit_bandwidth()
        self.fields["download_mbps"].choices = [  # type: ignore[attr-defined]
            (t.download_mbps, _("%(down)s Mbps down / %(up)s Mbps up · € %(price)s a month") % {
                "down": t.download_mbps, "up": t.upload_mbps,
                "price": formats.number_format(t.monthly_eur, 2)})
            for t in self.prices.tiers_of(self.current("provider"), self.current("offer"))
        ]
        if self.is_bound and adjust:
            self._fit_modules()
        if not self.is_bound:  # every radio group starts with one choice made
            for name in ("location", "provider", "offer", "download_mbps"):
                self.initial[name] = self.current(name)

    def current(self, name: str) -> Any:
        """A field's value as chosen now (posted, else initial, else the first choice)."""
        field = self.fields[name]
        known = [str(value) for value, _label in getattr(field, "choices", [])]
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        if name == "modules":
            chosen = self.data.getlist(name) if self.is_bound else (value or [])
            return [code for code in known if code in chosen]
        if value is not None and str(value) in known:
            return str(value)
        return known[0] if known else ""

    def _fit_bandwidth(self) -> None:
        """After another provider or offer was chosen: the tier nearest the bandwidth asked."""
        tiers = [t.download_mbps for t in self.prices.tiers_of(self.current("provider"),
                                                                self.current("offer"))]
        asked = self.data.get("download_mbps", "")
        if not tiers or asked in {str(t) for t in tiers}:
            return
        wanted = int(asked) if asked.isascii() and asked.isdigit() else tiers[0]  # not '²'
        nearest = min((t for t in tiers if t >= wanted), default=tiers[-1])
        self.data["download_mbps"] = str(nearest)
        if asked:
            self.adjustments.append(_("The bandwidth is now %(mbps)s Mbps: this offer has no "
                                      "%(asked)s Mbps.") % {"mbps": nearest, "asked": asked})

    def _fit_modules(self) -> None:
        """Take away modules the other choices no longer allow, saying why."""
        chosen = self.current("modules")
        while True:
            reasons = self.reasons(chosen)
            dropped = [code for code in chosen if reasons[code]]
            if not dropped:
                break
            for code in dropped:
                name = next(selectors.text(m, "name") for m in self.catalogue if m.code == code)
                self.adjustments.append(_("%(module)s was taken off: %(reason)s") % {
                    "module": name, "reason": reasons[code]})
            chosen = [code for code in chosen if code not in dropped]
        self.data.setlist("modules", chosen)

    def offer_radios(self) -> list[tuple[Any, str]]:
        """Each offer's radio button with what the offer is."""
        return [(radio, selectors.text(self.offers[radio.data["value"]], "description"))
                for radio in self["offer"]]

    def offer_note(self) -> str:
        """Why no module can be chosen with the offer chosen, if so."""
        offer = self.offers.get(self.current("offer"))
        if offer is None or offer.allows_modules:
            return ""
        managed = [selectors.text(o, "name") for o in self.offers.values() if o.allows_modules]
        return _("Modules come only with %(offers)s.") % {"offers": ", ".join(managed)}

    def reasons(self, chosen: list[str]) -> dict[str, str]:
        """For each module, why it may not be chosen now ("" when it may)."""
        provider, offer_note = self.current("provider"), self.offer_note()
        names = {m.code: selectors.text(m, "name") for m in self.catalogue}
        locations = len(self.places)
        found = {}
        for module in self.catalogue:
            missing = [names[r.code] for r in module.requires.all() if r.code not in chosen]
            if offer_note:
                reason = offer_note
            elif self.prices.module(provider, module.code) is None:
                reason = _("This provider does not offer it.")
            elif missing:
                reason = _("Needs %(modules)s: choose that first.") % {
                    "modules": ", ".join(missing)}
            elif locations < module.min_locations:
                reason = _("Needs at least %(needed)s locations; this school has %(count)s.") % {
                    "needed": module.min_locations, "count": locations}
            else:
                reason = ""
            found[module.code] = reason
        return found

    def solution(self) -> Solution:
        """The line as chosen now: its modules, prices and the risks left uncovered."""
        provider, offer, chosen = (self.current("provider"), self.current("offer"),
                                   self.current("modules"))
        reasons = self.reasons(chosen)
        options = [
            ModuleOption(m, selectors.text(m, "name"), selectors.text(m, "does"),
                         selectors.text(m, "risk"), self.prices.module(provider, m.code),
                         checked=m.code in chosen, reason=reasons[m.code],
                         unit=self.prices.unit(provider, m.code))
            for m in self.catalogue
        ]
        download = self.current("download_mbps")
        tier = self.prices.offers.get((provider, offer, int(download or 0)))
        quoted = None
        if tier is not None and not any(o.checked and o.reason for o in options):
            try:
                quoted = quote(provider, offer, tier.download_mbps, chosen,
                               version=self.prices.version, **self.counts())
            except SolutionError:
                quoted = None
        name = (self.prices.offer_name(provider, self.offers[offer])
                if offer in self.offers else "")
        return Solution(options, self.offer_note(), name, tier,
                        quoted.monthly if quoted else None, self.adjustments, quoted)

    def counts(self) -> dict[str, int]:
        """The access points and devices asked for (0 when not given or not a number)."""
        found = {}
        for name in ("access_points", "devices"):
            value = self.data.get(name) if self.is_bound else self.initial.get(name)
            text = str(value or "").strip()
            found[name] = int(text) if text.isascii() and text.isdigit() else 0
        return found

    def clean(self) -> dict[str, Any]:
        """A module the other choices do not allow refuses the request, saying why."""
        data = super().clean()
        if data is None:  # Django's meaning of None: keep cleaned_data as it is
            data = self.cleaned_data
        reasons = self.reasons(data.get("modules") or [])
        names = dict(self.fields["modules"].choices)  # type: ignore[attr-defined]
        for code in data.get("modules") or []:
            if reasons[code]:
                self.add_error("modules", f"{names[code]}: {reasons[code]}")
        fields = {"access-point": "access_points", "device": "devices"}
        for code in data.get("modules") or []:
            field = fields.get(self.prices.unit(self.current("provider"), code))
            if field and not data.get(field) and field not in self.errors:
                self.add_error(field, _("%(module)s is priced per unit: give how many.")
                               % {"module": names[code]})
        return data

    def location_chosen(self) -> Any:
        """The Location the cleaned form is about."""
        return self.places[self.cleaned_data["location"]]


def initial_for(institution: Institution, number: str | None) -> dict[str, Any]:
    """Start from the location asked for (else the main one) and the line it has now, if any."""
    places = institution.locations.order_by("-is_main", "number")
    place = places.filter(number=number).first() if number else None
    place = place or places.first()
    if place is None:
        return {}
    line = (Subscription.objects.filter(location=place).order_by("-started_on", "-pk")
            .filter(ended_on__isnull=True).first())
    initial: dict[str, Any] = {"location": place.number}
    if line is not None:
        initial.update(provider=line.provider_id, offer=line.offer_id,
                       download_mbps=line.download_mbps,
                       modules=[m.code for m in selectors.modules() if line.modules & m.bit])
        prices = selectors.Prices(line.provider_id)  # one of each unit its modules are priced per
        units = {prices.unit(line.provider_id, code) for code in initial["modules"]}
        initial.update(access_points=int("access-point" in units), devices=int("device" in units))
    return initial


class FeedForm(forms.Form):
    """A provider's subscription feed (contracts/subscriptions.md) to import as a job."""

    file = forms.FileField(label=gettext_lazy("Feed file"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A CSV file with one line per row: provider;contract_id;schoolnummer;"
            "intern_vplnummer;offer;download_mbps;upload_mbps;modules;requested_on;started_on;"
            "ended_on. At most %(limit)s MB."
        ) % {"limit": f"{max_upload_mb():g}"}


class LinesFilter(forms.Form):
    """Which lines to list: one school's, one provider's; both optional."""

    school = forms.CharField(label=gettext_lazy("School number"), required=False, max_length=20)
    provider = forms.ChoiceField(label=gettext_lazy("Provider"), required=False)

    def __init__(self, *args: Any, providers: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if providers:
            self.fields["provider"].choices = [  # type: ignore[attr-defined]
                ("", _("All providers")),
                *((p.code, p.name) for p in Provider.objects.order_by("name")),
            ]
        else:
            del self.fields["provider"]

    def filters(self) -> dict[str, str]:
        """The cleaned filters; an invalid one is left out (the form shows why)."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}
