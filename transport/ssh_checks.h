#pragma once
// The two checks SshSession::Connect makes after the key exchange, in their
// own file because each has several outcomes to explain. Internal to
// transport/; call on the session's thread, in blocking mode.

#include <cstddef>
#include <filesystem>
#include <string>

#include "base/result.h"

struct ssh_session_struct;

namespace baton::transport {

// Checks the server's host key against known_hosts; see SshSession::Connect
// for the errors. `where` is "host NAME", `endpoint` "host:port" as dialled.
Status VerifyHostKey(ssh_session_struct* session, const std::string& where,
                     const std::string& endpoint, bool accept_new);

// Public-key authentication: ssh-agent, `identity_file` (if any), then
// libssh's automatic list (config IdentityFile and default identities).
Status Authenticate(ssh_session_struct* session, const std::string& where,
                    const std::string& endpoint, const std::filesystem::path& identity_file);

// libssh's last error for `session`, with its first letter lower-cased to
// match baton's messages.
std::string LastSshError(ssh_session_struct* session);

// A string option (an ssh_options_e) as libssh now holds it, or "".
std::string SshStringOption(ssh_session_struct* session, int option);

// libssh's passphrase callback. Keys that need a passphrase are skipped
// rather than prompted for: baton runs unattended and must never wait on a
// terminal (such keys still work through ssh-agent).
int RefusePassphrase(const char* prompt, char* buffer, size_t length, int echo, int verify,
                     void* userdata);

}  // namespace baton::transport
