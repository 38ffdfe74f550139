package io.frostbyte.policy;

/** The seven document classes of spec/03 §3.5; {@link #wireName()} is the stored {@code classification}. */
public enum DocumentClass {
    CONTRACT("contract"),
    INVOICE("invoice"),
    SOP("SOP"),
    POLICY("policy"),
    CORRESPONDENCE("correspondence"),
    LEGAL_FILING("legal_filing"),
    OTHER("other");

    private final String wireName;

    DocumentClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
