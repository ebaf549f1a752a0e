package dev.keyward.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A name with placeholders, as the reference data writes key patterns ({@code aws:ResourceTag/${TagKey}},
 * {@code s3:ExistingObjectTag/<key>}) and ARN formats ({@code arn:${Partition}:kms:...:key/${KeyId}}).
 * A template is a list of literal parts and placeholders; what a placeholder may match is chosen per use.
 */
final class Template {

  /** What text a placeholder may stand for. */
  enum Slot {
    /** One or more of any character: tag keys and other names inside condition keys. */
    ANY,
    /** Zero or more characters other than {@code :}: the partition, region and account fields of an ARN. */
    FIELD,
    /** One or more characters other than {@code /} and {@code :}: one segment of an ARN's resource part. */
    SEGMENT
  }

  private final String[] literals; // literal before each slot, and the trailing literal last
  private final Slot[] slots;
  private final int literalLength;

  private Template(String[] literals, Slot[] slots) {
    this.literals = literals;
    this.slots = slots;
    int n = 0;
    for (String l : literals) {
      n += l.length();
    }
    this.literalLength = n;
  }

  /** True when {@code text} holds a placeholder ({@code ${...}} or {@code <...>}). */
  static boolean hasPlaceholder(String text) {
    return text.contains("${") || (text.indexOf('<') >= 0 && text.indexOf('>') > text.indexOf('<'));
  }

  /**
   * Parses {@code text}; every placeholder gets the slot {@code slot}, except that when {@code lastSlot}
   * is not null and the text ends with a placeholder, that one gets {@code lastSlot}. With
   * {@code lowerCase} the literal parts are lower-cased for case-insensitive matching.
   */
  static Template parse(String text, Slot slot, Slot lastSlot, boolean lowerCase) {
    List<String> lits = new ArrayList<>();
    List<Slot> sl = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int end = -1;
      if (text.startsWith("${", i)) {
        end = text.indexOf('}', i);
      } else if (text.charAt(i) == '<') {
        end = text.indexOf('>', i);
      }
      if (end > i) {
        lits.add(lowerCase ? cur.toString().toLowerCase(Locale.ROOT) : cur.toString());
        cur.setLength(0);
        sl.add(slot);
        i = end + 1;
      } else {
        cur.append(text.charAt(i++));
      }
    }
    lits.add(lowerCase ? cur.toString().toLowerCase(Locale.ROOT) : cur.toString());
    if (lastSlot != null && !sl.isEmpty() && lits.get(lits.size() - 1).isEmpty()) {
      sl.set(sl.size() - 1, lastSlot);
    }
    return new Template(lits.toArray(new String[0]), sl.toArray(new Slot[0]));
  }

  /** The number of literal characters: the more, the more specific the template. */
  int literalLength() {
    return literalLength;
  }

  boolean hasSlots() {
    return slots.length > 0;
  }

  /** The literal text before the first placeholder. */
  String head() {
    return literals[0];
  }

  /** True when {@code text} matches the whole template. */
  boolean matches(String text) {
    if (!text.startsWith(literals[0])) {
      return false;
    }
    return match(0, text, literals[0].length());
  }

  // Slot i starts at `pos`; after it comes literals[i + 1]. Inputs are short, backtracking is cheap.
  private boolean match(int i, String text, int pos) {
    if (i == slots.length) {
      return pos == text.length();
    }
    String next = literals[i + 1];
    Slot slot = slots[i];
    int min = slot == Slot.FIELD ? 0 : 1;
    for (int end = pos + min; end <= text.length(); end++) {
      if (end > pos && !allowed(slot, text.charAt(end - 1))) {
        return false;
      }
      if (text.startsWith(next, end) && match(i + 1, text, end + next.length())) {
        return true;
      }
    }
    return false;
  }

  private static boolean allowed(Slot slot, char c) {
    switch (slot) {
      case FIELD:
        return c != ':';
      case SEGMENT:
        return c != ':' && c != '/';
      default:
        return true;
    }
  }
}
