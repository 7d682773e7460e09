#include "transport/ssh_address.h"

#include <charconv>

namespace baton::transport {
namespace {

constexpr std::string_view kScheme = "ssh://";
constexpr std::string_view kShape = "ssh://[user@]host[:port]";

std::string Quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool IsIpv6Char(char c) {
  return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || (c >= '0' && c <= '9') || c == ':' ||
         c == '.';
}

Result<int> ParsePort(std::string_view port, std::string_view whole) {
  int value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 ||
      value > 65535) {
    return Error::Invalid(
        "", "invalid port " + Quoted(port) + " in " + Quoted(whole) + " (expected 1-65535)");
  }
  return value;
}

// Splits "host", "host:port", "[v6]" or "[v6]:port" into `address`.
Status ParseHostPort(std::string_view text, std::string_view whole, SshAddress& address) {
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos)
      return Error::Invalid("", "missing ']' after IPv6 address in " + Quoted(whole));
    address.host = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return Error::Invalid("", "unexpected " + Quoted(rest) + " after ']' in " + Quoted(whole));
    if (!rest.empty()) port = rest.substr(1);
    bool v6 = !address.host.empty() && address.host.find(':') != std::string::npos;
    for (char c : address.host) v6 = v6 && IsIpv6Char(c);
    if (!v6) return Error::Invalid("", "invalid IPv6 address in " + Quoted(whole));
  } else {
    size_t colon = text.find(':');
    address.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port = text.substr(colon + 1);
    if (address.host.empty()) return Error::Invalid("", "missing host in " + Quoted(whole));
    if (!IsValidHostName(address.host))
      return Error::Invalid("",
                            "invalid host name " + Quoted(address.host) + " in " + Quoted(whole));
  }
  if (port.data() == nullptr) return Status::Ok();
  auto parsed = ParsePort(port, whole);
  if (!parsed.ok()) return parsed.error();
  address.port = *parsed;
  return Status::Ok();
}

}  // namespace

bool IsValidHostName(std::string_view host) {
  if (host.empty() || host.front() == '-') return false;
  for (char c : host)
    if (!IsNameChar(c)) return false;
  return true;
}

std::string SshAddress::ToString() const {
  std::string text(kScheme);
  if (!user.empty()) text += user + "@";
  text += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 0) text += ":" + std::to_string(port);
  return text;
}

Result<SshAddress> ParseSshAddress(std::string_view text) {
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos)
    return Error::Invalid("", "expected " + std::string(kShape) + ", got " + Quoted(text));
  if (text.substr(0, scheme_end + 3) != kScheme) {
    return Error::Invalid("", "unsupported scheme " + Quoted(text.substr(0, scheme_end)) +
                                  " (expected " + std::string(kShape) + ")");
  }
  std::string_view rest = text.substr(kScheme.size());
  size_t slash = rest.find_first_of("/?#");
  if (slash != std::string_view::npos) {
    // A single trailing slash is what docker contexts sometimes store.
    if (rest.substr(slash) != "/")
      return Error::Invalid("", "unexpected path " + Quoted(rest.substr(slash)) + " in " +
                                    Quoted(text) + " (expected " + std::string(kShape) + ")");
    rest = rest.substr(0, slash);
  }
  SshAddress address;
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view user = rest.substr(0, at);
    // Never repeat the text back: it may hold a password.
    if (user.find(':') != std::string_view::npos)
      return Error::Invalid("",
                            "passwords in ssh addresses are not supported; use an identity "
                            "file or ssh-agent");
    if (user.empty()) return Error::Invalid("", "empty user name in " + Quoted(text));
    if (!IsValidHostName(user))
      return Error::Invalid("", "invalid user name " + Quoted(user) + " in " + Quoted(text));
    address.user = std::string(user);
    rest = rest.substr(at + 1);
  }
  if (auto s = ParseHostPort(rest, text, address); !s.ok()) return s.error();
  return address;
}

}  // namespace baton::transport
