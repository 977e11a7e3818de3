package io.atelier.gateway.kpi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A boolean expression over signal values, deliberately small: comparisons joined by {@code and}
 * and {@code or} ({@code and} binds tighter), each optionally negated with {@code not}.
 *
 * <pre>
 * alarm_active == true
 * spindle_speed > 0 and door_closed
 * mode == 'AUTOMATIC' or mode == 1
 * not emergency_stop
 * </pre>
 *
 * A comparison without an operator tests truthiness (true, a non-zero number, a text other than "",
 * "0" or "false"). A signal with no value yet makes every comparison on it false.
 */
final class Condition {

  /** An operator of a comparison; TRUTHY means none was written. */
  enum Op {
    EQ,
    NE,
    GT,
    GE,
    LT,
    LE,
    TRUTHY
  }

  /** One comparison: {@code signal op literal}. */
  record Comparison(String signal, int input, Op op, Object literal, boolean negated) {}

  private static final Pattern TOKEN =
      Pattern.compile(
          "\\s*(==|!=|>=|<=|>|<|&&|\\|\\||!|'[^']*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_.\\[\\]]*|-?\\d+(?:\\.\\d+)?)");

  /** Disjunction of conjunctions. */
  private final List<List<Comparison>> anyOf;

  private final String text;

  private Condition(List<List<Comparison>> anyOf, String text) {
    this.anyOf = anyOf;
    this.text = text;
  }

  String text() {
    return text;
  }

  List<Comparison> comparisons() {
    List<Comparison> all = new ArrayList<>();
    anyOf.forEach(all::addAll);
    return all;
  }

  /**
   * Parses an expression; signal names are added to {@code signals} (their index there is the input
   * index). Throws IllegalArgumentException with a readable reason.
   */
  static Condition parse(String text, List<String> signals) {
    List<String> tokens = tokenize(text);
    List<List<Comparison>> anyOf = new ArrayList<>();
    List<Comparison> allOf = new ArrayList<>();
    int i = 0;
    while (true) {
      boolean negated = false;
      while (i < tokens.size() && (isWord(tokens.get(i), "not") || tokens.get(i).equals("!"))) {
        negated = !negated;
        i++;
      }
      if (i >= tokens.size()) {
        throw new IllegalArgumentException("expected a signal name at the end");
      }
      String name = tokens.get(i++);
      if (!Character.isLetter(name.charAt(0)) && name.charAt(0) != '_') {
        throw new IllegalArgumentException("expected a signal name, found '" + name + "'");
      }
      if (isWord(name, "true") || isWord(name, "false")) {
        // A constant, handy as the last rule: "when: true".
        allOf.add(new Comparison("", -1, Op.EQ, isWord(name, "true"), negated));
      } else {
        int input = signals.indexOf(name);
        if (input < 0) {
          signals.add(name);
          input = signals.size() - 1;
        }
        Op op = Op.TRUTHY;
        Object literal = null;
        if (i < tokens.size() && operator(tokens.get(i)) != null) {
          op = operator(tokens.get(i++));
          if (i >= tokens.size()) {
            throw new IllegalArgumentException("expected a value after the operator");
          }
          literal = literal(tokens.get(i++));
        }
        allOf.add(new Comparison(name, input, op, literal, negated));
      }
      if (i >= tokens.size()) {
        break;
      }
      String join = tokens.get(i++);
      if (isWord(join, "or") || join.equals("||")) {
        anyOf.add(allOf);
        allOf = new ArrayList<>();
      } else if (!(isWord(join, "and") || join.equals("&&"))) {
        throw new IllegalArgumentException("expected 'and' or 'or', found '" + join + "'");
      }
    }
    anyOf.add(allOf);
    return new Condition(anyOf, text.trim());
  }

  boolean test(Object[] inputs) {
    for (List<Comparison> allOf : anyOf) {
      boolean all = true;
      for (Comparison c : allOf) {
        Object v = c.input() < 0 ? Boolean.TRUE : inputs[c.input()];
        boolean r = v != null && compare(v, c.op(), c.literal());
        if (c.negated() ? r : !r) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static boolean compare(Object v, Op op, Object literal) {
    if (op == Op.TRUTHY) {
      return truthy(v);
    }
    if (literal instanceof Boolean b) {
      boolean r = truthy(v) == b;
      return op == Op.EQ ? r : op == Op.NE && !r;
    }
    if (literal instanceof Double d) {
      double x;
      if (v instanceof Number n) {
        x = n.doubleValue();
      } else if (v instanceof Boolean b) {
        x = b ? 1 : 0;
      } else {
        try {
          x = Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
          return op == Op.NE;
        }
      }
      return switch (op) {
        case EQ -> x == d;
        case NE -> x != d;
        case GT -> x > d;
        case GE -> x >= d;
        case LT -> x < d;
        case LE -> x <= d;
        case TRUTHY -> truthy(v);
      };
    }
    String s = CodeKey.of(v);
    boolean eq = s.equalsIgnoreCase((String) literal);
    return switch (op) {
      case EQ -> eq;
      case NE -> !eq;
      default -> false;
    };
  }

  static boolean truthy(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    String s = v.toString().trim();
    return !(s.isEmpty() || s.equals("0") || s.equalsIgnoreCase("false"));
  }

  private static Op operator(String token) {
    return switch (token) {
      case "==" -> Op.EQ;
      case "!=" -> Op.NE;
      case ">" -> Op.GT;
      case ">=" -> Op.GE;
      case "<" -> Op.LT;
      case "<=" -> Op.LE;
      default -> null;
    };
  }

  private static Object literal(String token) {
    if (token.startsWith("'") || token.startsWith("\"")) {
      return token.substring(1, token.length() - 1);
    }
    if (isWord(token, "true") || isWord(token, "false")) {
      return isWord(token, "true");
    }
    try {
      return Double.parseDouble(token);
    } catch (NumberFormatException e) {
      return token;
    }
  }

  private static boolean isWord(String token, String word) {
    return token.toLowerCase(Locale.ROOT).equals(word);
  }

  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int pos = 0;
    while (pos < text.length()) {
      if (text.substring(pos).isBlank()) {
        break;
      }
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("cannot read '" + text.substring(pos).trim() + "'");
      }
      tokens.add(m.group(1));
      pos = m.end();
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("empty expression");
    }
    return tokens;
  }
}
