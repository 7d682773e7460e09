// services.*.ports and services.*.expose. Short port specs follow Docker's
// rules ([[host_ip:]host_port:]container_port[/protocol], ranges on either
// side, IPv6 host addresses bare or in brackets) and expand to one long entry
// per container port, as compose does.

#include <arpa/inet.h>

#include <charconv>
#include <optional>
#include <vector>

#include "compose/canonical_rules.h"
#include "compose/schema.h"

namespace baton::compose::canonical {
namespace {

using schema::Quote;

constexpr int kMaxPort = 65535;

struct PortRange {
  int first = 0;
  int last = 0;
  int size() const { return last - first + 1; }
};

// One long-form entry produced from a short spec.
struct PortEntry {
  std::string host_ip;
  int target = 0;
  std::string published;
  std::string protocol;
};

// Why a port spec is wrong. `bare` messages stand alone ("port 99999 out of
// range 1-65535"); the others follow "invalid port \"spec\": ".
struct PortProblem {
  std::string message;
  bool bare = false;
};

std::optional<PortProblem> ParsePortNumber(std::string_view text, int& port) {
  bool digits = !text.empty();
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (!digits) return PortProblem{Quote(text) + " is not a port number"};
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > kMaxPort)
    return PortProblem{"port " + std::string(text) + " out of range 1-65535", true};
  port = static_cast<int>(value);
  return std::nullopt;
}

std::optional<PortProblem> ParsePortRange(std::string_view text, PortRange& range) {
  size_t dash = text.find('-');
  if (auto p = ParsePortNumber(text.substr(0, dash), range.first)) return p;
  range.last = range.first;
  if (dash == std::string_view::npos) return std::nullopt;
  if (auto p = ParsePortNumber(text.substr(dash + 1), range.last)) return p;
  if (range.last < range.first) return PortProblem{"range " + std::string(text) + " is reversed"};
  return std::nullopt;
}

std::optional<PortProblem> ParseProtocol(std::string_view text, std::string& protocol) {
  protocol.clear();
  for (char c : text) protocol += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (protocol == "tcp" || protocol == "udp" || protocol == "sctp") return std::nullopt;
  return PortProblem{"unknown protocol " + Quote(text) + ": must be tcp, udp or sctp"};
}

bool IsIpAddress(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// Splits "[ip:]host:container" as Docker does: with more than three parts
// everything before the last two is the (IPv6) address.
void SplitPortParts(std::string_view spec, std::string& ip, std::string& host,
                    std::string& container) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t colon; (colon = spec.find(':', start)) != std::string_view::npos; start = colon + 1)
    parts.push_back(spec.substr(start, colon - start));
  parts.push_back(spec.substr(start));
  size_t n = parts.size();
  container = std::string(parts[n - 1]);
  if (n >= 2) host = std::string(parts[n - 2]);
  if (n >= 3) {
    size_t ip_end = static_cast<size_t>(parts[n - 2].data() - spec.data()) - 1;
    ip = std::string(spec.substr(0, ip_end));
  }
}

std::optional<PortProblem> ParseHostIp(std::string& ip) {
  if (ip.empty()) return std::nullopt;
  std::string bare = ip;
  if (bare.front() == '[') {
    if (bare.size() < 2 || bare.back() != ']')
      return PortProblem{Quote(ip) + " is not an IP address"};
    bare = bare.substr(1, bare.size() - 2);
  }
  if (!IsIpAddress(bare)) return PortProblem{Quote(ip) + " is not an IP address"};
  ip = bare;
  return std::nullopt;
}

std::optional<PortProblem> ExpandPortSpec(std::string_view spec, std::vector<PortEntry>& out) {
  std::string ip, host, container;
  SplitPortParts(spec, ip, host, container);
  std::string protocol = "tcp";
  if (size_t slash = container.find('/'); slash != std::string::npos) {
    if (auto p = ParseProtocol(container.substr(slash + 1), protocol)) return p;
    container.resize(slash);
  }
  if (container.empty()) return PortProblem{"no container port"};
  if (auto p = ParseHostIp(ip)) return p;
  PortRange targets, published;
  if (auto p = ParsePortRange(container, targets)) return p;
  if (!host.empty()) {
    if (auto p = ParsePortRange(host, published)) return p;
    if (published.size() != targets.size() && targets.size() != 1)
      return PortProblem{"host range " + host + " and container range " + container +
                         " differ in size"};
  }
  for (int i = 0; i < targets.size(); ++i) {
    PortEntry e{ip, targets.first + i, "", protocol};
    if (!host.empty()) {
      e.published = std::to_string(published.first + i);
      // One container port behind a host range: the engine picks one of them.
      if (targets.size() == 1 && published.size() > 1)
        e.published += "-" + std::to_string(published.last);
    }
    out.push_back(std::move(e));
  }
  return std::nullopt;
}

Error PortError(const Node& node, const ModelPath& at, std::string_view spec,
                const PortProblem& problem) {
  if (problem.bare) return Error::Invalid(Where(node, at), problem.message);
  return Error::Invalid(Where(node, at), "invalid port " + Quote(spec) + ": " + problem.message);
}

Node LongPort(const PortEntry& e, const Mark& mark) {
  Node port = Node::Mapping(mark);
  port.Set("mode", Text("ingress", mark));
  if (!e.host_ip.empty()) port.Set("host_ip", Text(e.host_ip, mark));
  port.Set("target", Plain(std::to_string(e.target), mark));
  if (!e.published.empty()) port.Set("published", Text(e.published, mark));
  port.Set("protocol", Text(e.protocol, mark));
  return port;
}

// target: one port, written as a number. published: a port or a range, as
// a string. protocol: lower case. mode and protocol get their defaults.
Status CheckLongPort(Node& port, const ModelPath& at) {
  if (Status s = schema::Check(port, schema::kPortLong, at); !s.ok()) return s;
  Node* target = port.Find("target");
  if (!target) return Error::Invalid(Where(port, at), "missing required key \"target\"");
  if (!target->IsScalar()) return schema::TypeError(*target, at.Key("target"), "a port number");
  int number = 0;
  if (auto p = ParsePortNumber(target->scalar(), number))
    return PortError(*target, at.Key("target"), target->scalar(), *p);
  *target = Plain(std::to_string(number), target->mark());
  if (Node* published = port.Find("published")) {
    if (!published->IsScalar())
      return schema::TypeError(*published, at.Key("published"), "a port or a range");
    PortRange range;
    if (auto p = ParsePortRange(published->scalar(), range))
      return PortError(*published, at.Key("published"), published->scalar(), *p);
    published->set_quoted(true);
  }
  if (!port.Find("mode")) port.Set("mode", Text("ingress", port.mark()));
  Node* protocol = port.Find("protocol");
  if (!protocol) {
    port.Set("protocol", Text("tcp", port.mark()));
    return Status::Ok();
  }
  if (!protocol->IsScalar()) return schema::TypeError(*protocol, at.Key("protocol"), "a string");
  std::string lower;
  if (auto p = ParseProtocol(protocol->scalar(), lower))
    return Error::Invalid(Where(*protocol, at.Key("protocol")), p->message);
  *protocol = Text(lower, protocol->mark());
  return Status::Ok();
}

Status AppendShortPort(const Node& item, const ModelPath& at, Node& out) {
  std::vector<PortEntry> entries;
  if (auto p = ExpandPortSpec(item.scalar(), entries))
    return PortError(item, at, item.scalar(), *p);
  for (const PortEntry& e : entries) out.Append(LongPort(e, item.mark()));
  return Status::Ok();
}

}  // namespace

Status Ports(Node& node, const ModelPath& at) {
  if (!node.IsSequence()) return schema::TypeError(node, at, "a sequence");
  Node out = Node::Sequence(node.mark());
  for (size_t i = 0; i < node.items().size(); ++i) {
    Node& item = node.items()[i];
    if (item.IsScalar()) {
      if (Status s = AppendShortPort(item, at.Index(i), out); !s.ok()) return s;
      continue;
    }
    if (!item.IsMapping())
      return schema::TypeError(item, at.Index(i), "a number, a string or a mapping");
    if (Status s = CheckLongPort(item, at.Index(i)); !s.ok()) return s;
    out.Append(std::move(item));
  }
  node = std::move(out);
  return Status::Ok();
}

Status ExposeItem(Node& node, const ModelPath& at) {
  if (!node.IsScalar()) return schema::TypeError(node, at, "a string or a number");
  std::string_view text = node.scalar();
  std::string_view ports = text.substr(0, text.find('/'));
  std::string protocol;
  std::optional<PortProblem> problem;
  if (ports.size() < text.size()) problem = ParseProtocol(text.substr(ports.size() + 1), protocol);
  PortRange range;
  if (!problem) problem = ParsePortRange(ports, range);
  if (problem) {
    if (problem->bare) return Error::Invalid(Where(node, at), problem->message);
    return Error::Invalid(Where(node, at),
                          "invalid expose " + Quote(text) + ": " + problem->message);
  }
  node.set_quoted(true);
  return Status::Ok();
}

}  // namespace baton::compose::canonical
