package io.atelier.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which hosts {@code GET /api/discover} may open an OPC UA session to ({@code
 * http.discover.allow}). The route lets an operator make the gateway connect to an address of their
 * choosing, so by default it reaches only the networks machines live on: {@code private} (loopback,
 * RFC 1918, link-local, IPv6 unique-local). Entries: {@code private}, {@code any}, an address, a
 * CIDR block ({@code 10.20.0.0/16}, {@code fd00::/8}), a host name ({@code press-07.plant.local})
 * or a domain wildcard ({@code *.plant.local}). A host named by a name entry is allowed as such;
 * any other host is resolved and every one of its addresses must be allowed.
 *
 * @param entries the entries as configured, for messages
 */
public record DiscoverTargets(List<String> entries) {

  /** The default: the networks machines live on. */
  public static final DiscoverTargets PRIVATE = new DiscoverTargets(List.of("private"));

  private static final String[] PRIVATE_BLOCKS = {
    "127.0.0.0/8",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10"
  };

  public DiscoverTargets {
    entries = List.copyOf(entries);
  }

  /** Why an entry is not valid, or empty when it is. Never resolves names. */
  public static Optional<String> problem(String entry) {
    String e = entry.trim().toLowerCase(Locale.ROOT);
    if (e.isEmpty()) {
      return Optional.of("empty entry");
    }
    if (e.equals("private") || e.equals("any")) {
      return Optional.empty();
    }
    if (e.contains("/") || looksLikeAddress(e)) {
      try {
        Block.parse(e);
        return Optional.empty();
      } catch (IllegalArgumentException bad) {
        return Optional.of(bad.getMessage());
      }
    }
    String name = e.startsWith("*.") ? e.substring(2) : e;
    if (!name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
      return Optional.of(
          "not 'private', 'any', an address, a CIDR block, a host name or *.domain: " + entry);
    }
    return Optional.empty();
  }

  /**
   * Whether {@code host} (from the endpoint URL) may be browsed. Blocking: resolves the host unless
   * a name entry or {@code any} allows it outright.
   *
   * @return empty when allowed, else why not
   */
  public Optional<String> check(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    List<Block> blocks = new ArrayList<>();
    for (String raw : entries) {
      String e = raw.trim().toLowerCase(Locale.ROOT);
      if (e.equals("any") || e.equals(h) || (e.startsWith("*.") && h.endsWith(e.substring(1)))) {
        return Optional.empty();
      }
      if (e.equals("private")) {
        for (String b : PRIVATE_BLOCKS) {
          blocks.add(Block.parse(b));
        }
      } else if (e.contains("/") || looksLikeAddress(e)) {
        blocks.add(Block.parse(e));
      }
    }
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      return Optional.of("host " + host + " is unknown");
    }
    for (InetAddress a : addresses) {
      if (blocks.stream().noneMatch(b -> b.contains(a))) {
        return Optional.of(
            "host "
                + host
                + " ("
                + a.getHostAddress()
                + ") is not in http.discover.allow "
                + entries);
      }
    }
    return Optional.empty();
  }

  private static boolean looksLikeAddress(String e) {
    return e.matches("[0-9.]+") || e.contains(":");
  }

  /** An address block; a plain address is a block of one. */
  private record Block(byte[] network, int prefix) {

    static Block parse(String text) {
      int slash = text.indexOf('/');
      String addr = slash < 0 ? text : text.substring(0, slash);
      if (!looksLikeAddress(addr)) {
        throw new IllegalArgumentException("not an IP address: " + addr);
      }
      byte[] bytes;
      try {
        // A literal never causes a lookup.
        bytes = InetAddress.getByName(addr).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + addr);
      }
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad prefix length in " + text);
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("prefix length out of range in " + text);
        }
      }
      return new Block(bytes, prefix);
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (b[full] & mask) == (network[full] & mask);
    }
  }
}
