package dev.mandate.kernel.intent.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version (semver.org 2.0.0), ordered by precedence; build metadata is ignored. */
record Semver(long major, long minor, long patch, String preRelease) implements Comparable<Semver> {

    private static final Pattern SEMVER = Pattern.compile("(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})\\.(0|[1-9]\\d{0,17})"
            + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
            + "(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?");

    /** The version, or {@code null} when {@code text} is not a semantic version. */
    static Semver parse(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = SEMVER.matcher(text);
        if (!matcher.matches()) {
            return null;
        }
        return new Semver(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
                Long.parseLong(matcher.group(3)), matcher.group(4) == null ? "" : matcher.group(4));
    }

    @Override
    public int compareTo(Semver other) {
        int result = Long.compare(major, other.major);
        if (result == 0) {
            result = Long.compare(minor, other.minor);
        }
        if (result == 0) {
            result = Long.compare(patch, other.patch);
        }
        if (result != 0) {
            return result;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            // a release ranks above its pre-releases
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        String[] mine = preRelease.split("\\.");
        String[] theirs = other.preRelease.split("\\.");
        for (int i = 0; i < Math.min(mine.length, theirs.length); i++) {
            boolean mineNumeric = mine[i].chars().allMatch(Character::isDigit);
            boolean theirsNumeric = theirs[i].chars().allMatch(Character::isDigit);
            int part;
            if (mineNumeric && theirsNumeric) {
                part = new java.math.BigInteger(mine[i]).compareTo(new java.math.BigInteger(theirs[i]));
            } else if (mineNumeric != theirsNumeric) {
                part = mineNumeric ? -1 : 1;
            } else {
                part = mine[i].compareTo(theirs[i]);
            }
            if (part != 0) {
                return part;
            }
        }
        return Integer.compare(mine.length, theirs.length);
    }
}
