#include "transport/ssh_checks.h"

#include <libssh/libssh.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

namespace baton::transport {
namespace {

struct KeyFree {
  void operator()(ssh_key_struct* key) const { ssh_key_free(key); }
};
using KeyPtr = std::unique_ptr<ssh_key_struct, KeyFree>;

// "ssh-ed25519 SHA256:..." as OpenSSH prints it, or "" when unavailable.
std::string Fingerprint(ssh_session session) {
  ssh_key raw = nullptr;
  if (ssh_get_server_publickey(session, &raw) != SSH_OK) return "";
  KeyPtr key(raw);
  unsigned char* hash = nullptr;
  size_t length = 0;
  if (ssh_get_publickey_hash(key.get(), SSH_PUBLICKEY_HASH_SHA256, &hash, &length) != SSH_OK)
    return "";
  char* text = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, length);
  ssh_clean_pubkey_hash(&hash);
  if (text == nullptr) return "";
  std::string fingerprint = std::string(ssh_key_type_to_char(ssh_key_type(key.get()))) + " " + text;
  ssh_string_free_char(text);
  return fingerprint;
}

// How known_hosts names the endpoint: "10.0.0.1" on port 22, else "[10.0.0.1]:2222".
std::string KnownHostsName(const std::string& endpoint) {
  size_t colon = endpoint.rfind(':');
  std::string host = endpoint.substr(0, colon);
  if (endpoint.substr(colon + 1) == "22")
    return host.front() == '[' ? host.substr(1, host.size() - 2) : host;
  return host.front() == '[' ? endpoint : "[" + host + "]" + endpoint.substr(colon);
}

Status Record(ssh_session session, const std::string& where, const std::string& known_hosts) {
  if (ssh_session_update_known_hosts(session) != SSH_OK)
    return Error::Invalid(where,
                          "record host key in " + known_hosts + ": " + LastSshError(session));
  return Status::Ok();
}

}  // namespace

int RefusePassphrase(const char*, char*, size_t, int, int, void*) { return -1; }

std::string SshStringOption(ssh_session_struct* session, int option) {
  char* value = nullptr;
  if (ssh_options_get(session, static_cast<ssh_options_e>(option), &value) != SSH_OK ||
      value == nullptr)
    return "";
  std::string text(value);
  ssh_string_free_char(value);
  return text;
}

std::string LastSshError(ssh_session_struct* session) {
  std::string text = ssh_get_error(session);
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] += 'a' - 'A';
  return text;
}

Status VerifyHostKey(ssh_session_struct* session, const std::string& where,
                     const std::string& endpoint, bool accept_new) {
  std::string known_hosts = SshStringOption(session, SSH_OPTIONS_KNOWNHOSTS);
  std::string fingerprint = Fingerprint(session);
  switch (ssh_session_is_known_server(session)) {
    case SSH_KNOWN_HOSTS_OK:
      return Status::Ok();
    case SSH_KNOWN_HOSTS_CHANGED:
    case SSH_KNOWN_HOSTS_OTHER:
      return Error::Conflict(
          where, "host key for " + endpoint + " has changed: the server now offers " + fingerprint +
                     ", which does not match " + known_hosts +
                     "; refusing to connect (if the host was reinstalled, remove the old key "
                     "with: ssh-keygen -R '" +
                     KnownHostsName(endpoint) + "' -f " + known_hosts + ")");
    case SSH_KNOWN_HOSTS_UNKNOWN:
    case SSH_KNOWN_HOSTS_NOT_FOUND:
      if (accept_new) return Record(session, where, known_hosts);
      return Error::NotFound(where, "unknown host key " + fingerprint + " for " + endpoint +
                                        " (not in " + known_hosts +
                                        "); if that fingerprint is right, run again with "
                                        "--accept-new-host-keys to record it");
    case SSH_KNOWN_HOSTS_ERROR:
      break;
  }
  return Error::Internal(where, "check host key: " + LastSshError(session));
}

Status Authenticate(ssh_session_struct* session, const std::string& where,
                    const std::string& endpoint, const std::filesystem::path& identity_file) {
  std::vector<std::string> tried;
  auto outcome = [&](int rc, const std::string& method) -> std::optional<Status> {
    if (rc == SSH_AUTH_SUCCESS) return Status::Ok();
    if (rc == SSH_AUTH_ERROR)
      return Error::Unreachable(where,
                                "authenticate to " + endpoint + ": " + LastSshError(session));
    tried.push_back(rc == SSH_AUTH_PARTIAL ? method + " (server wants more factors)" : method);
    return std::nullopt;
  };
  if (const char* agent = std::getenv("SSH_AUTH_SOCK"); agent != nullptr && *agent != '\0')
    if (auto done = outcome(ssh_userauth_agent(session, nullptr), "ssh-agent")) return *done;
  if (!identity_file.empty()) {
    ssh_key raw = nullptr;
    if (ssh_pki_import_privkey_file(identity_file.c_str(), nullptr, RefusePassphrase, nullptr,
                                    &raw) != SSH_OK) {
      return Error::Invalid(where, "identity file " + identity_file.string() +
                                       " is missing, unreadable or passphrase-protected "
                                       "(load such keys into ssh-agent)");
    }
    KeyPtr key(raw);
    if (auto done =
            outcome(ssh_userauth_publickey(session, nullptr, key.get()), identity_file.string()))
      return *done;
  }
  if (auto done = outcome(ssh_userauth_publickey_auto(session, nullptr, nullptr),
                          "~/.ssh/config and default identities"))
    return *done;
  std::string list;
  for (const std::string& method : tried) list += (list.empty() ? "" : ", ") + method;
  return Error::Invalid(where, "authentication failed for " + endpoint + " (tried " + list + ")");
}

}  // namespace baton::transport
