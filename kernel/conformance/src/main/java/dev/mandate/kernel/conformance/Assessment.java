package dev.mandate.kernel.conformance;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A self-assessment of this instance.
 *
 * @param assessedAt    when
 * @param modelRevision the model revision read
 * @param conformant    whether every Appendix A requirement is met (conformance is binary)
 * @param appendixA     each Appendix A requirement, in the standard's order
 * @param maturity      each Appendix B dimension with its four sub-criteria
 * @param total         the maturity score, 0 to 72
 * @param band          Pre-IOM (0–18), Emerging (19–36), Developing (37–54) or Governed (55–72)
 */
public record Assessment(Instant assessedAt, long modelRevision, boolean conformant, List<Requirement> appendixA,
        List<Dimension> maturity, int total, String band) {

    public Assessment {
        appendixA = List.copyOf(appendixA);
        maturity = List.copyOf(maturity);
    }

    /**
     * One Appendix A row.
     *
     * @param id          {@code iom-a-1} … {@code iom-a-7}
     * @param dimension   the capability dimension
     * @param requirement the requirement's text
     * @param met         whether this instance meets it now
     * @param because     one line saying why, from the facts
     * @param facts       the live facts it was judged on
     */
    public record Requirement(String id, String dimension, String requirement, boolean met, String because,
            Map<String, Object> facts) {
        public Requirement {
            facts = Map.copyOf(facts);
        }
    }

    /**
     * One Appendix B dimension.
     *
     * @param name     the capability dimension
     * @param score    the sum of its sub-criteria, 0 to 12
     * @param criteria its four sub-criteria
     */
    public record Dimension(String name, int score, List<Criterion> criteria) {
        public Dimension {
            criteria = List.copyOf(criteria);
        }
    }

    /**
     * One sub-criterion, scored 0 (None), 1 (Partial), 2 (Defined) or 3 (Governed) from a live metric.
     *
     * @param name   what it assesses
     * @param metric the metric it is tied to
     * @param value  the metric's value now ({@code null} when it cannot be measured here)
     * @param score  0 to 3
     */
    public record Criterion(String name, String metric, Object value, int score) {
    }
}
