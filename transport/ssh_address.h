#pragma once
// ssh://[user@]host[:port] addresses, as written in hosts files, with -H and
// in docker contexts.

#include <string>
#include <string_view>

#include "base/result.h"

namespace baton::transport {

struct SshAddress {
  std::string user;  // "" = from ~/.ssh/config, else the local user name
  std::string host;  // name, IPv4 address, or IPv6 address without brackets
  int port = 0;      // 0 = from ~/.ssh/config, else 22

  // "ssh://root@10.0.0.1:22", "ssh://[fd00::1]", "ssh://lab1".
  std::string ToString() const;
  bool operator==(const SshAddress&) const = default;
};

// Reads an ssh:// address. Errors are kInvalid with an empty `where` (the
// caller knows where the text came from) and never echo a password. Host
// names are restricted to letters, digits, '.', '-', '_' (or an IPv6 address
// in brackets), so a host name can never smuggle shell syntax into an
// OpenSSH ProxyCommand that ~/.ssh/config may build around it.
Result<SshAddress> ParseSshAddress(std::string_view text);

// True for host names ParseSshAddress accepts (without brackets for IPv6).
bool IsValidHostName(std::string_view host);

}  // namespace baton::transport
