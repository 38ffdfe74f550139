package io.frostbyte.policy;

/**
 * PII codes of spec/03 §3.3, in table order: when two overlapping spans have the same length, the earlier constant
 * wins.
 */
public enum PiiType {
    SSN,
    DOB,
    EMAIL,
    PHONE,
    FINANCIAL_ACCOUNT,
    PASSPORT,
    DRIVERS_LICENSE,
    MEDICAL_RECORD,
    NAME,
    ADDRESS
}
