"""English meanings and units of the template cells, for the data dictionary and ``core.cell_defs``."""

from __future__ import annotations

S3_ROWS = {
    "new_received": "new applications received this year",
    "carried_over": "applications carried over from last year",
    "granted": "handled: disclosed in full",
    "partially_granted": "handled: disclosed in part (an application handled by splitting counts only here)",
    "denied_state_secret": "refused: state secret",
    "denied_law_prohibited": "refused: other laws or administrative regulations forbid disclosure",
    "denied_three_security_one_stability": 'refused: would endanger the "three securities and one stability"',
    "denied_third_party_rights": "refused: protects a third party's lawful rights",
    "denied_internal_affairs": "refused: one of the three kinds of internal-affairs information",
    "denied_process_info": "refused: one of the four kinds of process information",
    "denied_enforcement_file": "refused: an administrative enforcement case file",
    "denied_admin_query": "refused: an administrative query matter",
    "unavailable_not_held": "cannot be provided: the agency does not hold the information",
    "unavailable_need_creation": "cannot be provided: no existing information, it would have to be made",
    "unavailable_unclear_after_correction": "cannot be provided: still unclear after the applicant corrected it",
    "not_processed_petition_complaint": "not processed: a petition, report or complaint",
    "not_processed_duplicate": "not processed: a repeated application",
    "not_processed_publication": "not processed: asks for a public publication",
    "not_processed_excessive_repeat": "not processed: many repeated applications without good reason",
    "not_processed_confirm_or_reissue": "not processed: asks to confirm or re-issue information already obtained",
    "other_no_correction_overdue": "other: the applicant did not correct in time, processing stopped",
    "other_fee_unpaid_overdue": "other: the applicant did not pay the fee in time, processing stopped",
    "other_misc": "other: any other handling",
    "other_processing": "other handling (the single row of the 2019 template)",
    "results_total": "all applications handled this year",
    "carried_forward": "carried forward to next year",
}

S3_COLS = {
    "natural_person": "natural persons",
    "commercial_enterprise": "commercial enterprises",
    "research_institution": "research institutions",
    "social_welfare_org": "social welfare organisations",
    "legal_service_org": "legal service organisations",
    "other_org": "other legal persons or organisations",
    "total": "all applicants",
}

S2_THINGS = {
    "regulation": "regulations (规章)",
    "normative_doc": "normative documents",
    "license": "administrative licences",
    "other_mgmt_service": "other external management and service matters",
    "penalty": "administrative penalties",
    "coercion": "administrative coercive measures",
    "fee": "administrative fees",
    "procurement": "centralised government procurement",
}

S2_MEASURES = {
    "issued": "issued this year",
    "repealed": "repealed this year",
    "in_force": "in force at year end",
    "decisions": "decisions made this year",
    "amount_wan_yuan": "amount collected this year",
    "new_made": "newly made this year",
    "new_published": "newly published this year",
    "total_published": "total published",
    "prev_year_items": "items last year",
    "change": "change this year (signed)",
    "items": "number of procurement items",
    "amount": "total procurement amount",
}

S4_GROUPS = {
    "review": "administrative reconsideration",
    "lit_direct": "administrative lawsuits filed without reconsideration",
    "lit_after_review": "administrative lawsuits filed after reconsideration",
}

S4_OUTCOMES = {
    "upheld": "decision upheld",
    "corrected": "decision corrected",
    "other": "other outcome",
    "pending": "not yet concluded",
    "total": "total",
}

UNITS = {
    "int": "件 (count)",
    "signed_int": "件 (signed change)",
    "decimal": "万元",
}


def unit(key: str, type_: str) -> str:
    if key.startswith("s3_"):
        return "件 (applications)"
    if type_.startswith("money_with_unit"):
        return "元 or 万元, as printed (the template fixes no unit)"
    return UNITS.get(type_, type_)


def meaning(key: str) -> str:
    """An English gloss of a cell key (``s3_granted__total`` → 'handled: disclosed in full — all applicants')."""
    if key.startswith("s3_"):
        row, col = key[3:].split("__")
        return f"{S3_ROWS[row]} — {S3_COLS[col]}"
    if key.startswith("s4_"):
        rest = key[3:]
        for group in sorted(S4_GROUPS, key=len, reverse=True):
            if rest.startswith(group + "_"):
                return f"{S4_GROUPS[group]}: {S4_OUTCOMES[rest[len(group) + 1 :]]}"
    if key.startswith("s2_"):
        rest = key[3:]
        for thing in sorted(S2_THINGS, key=len, reverse=True):
            if rest.startswith(thing + "_"):
                return f"{S2_THINGS[thing]}: {S2_MEASURES[rest[len(thing) + 1 :]]}"
    raise KeyError(f"no meaning for cell key {key}")
