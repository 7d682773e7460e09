#include "runtime/docker_http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

namespace baton::runtime {

void detail::CurlHandleFree::operator()(void* handle) const { curl_easy_cleanup(handle); }

namespace {

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

// What the libcurl callbacks share during one Send.
struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse response;
  std::optional<Error> reader_error;
  bool too_large = false;
  bool callback_threw = false;  // a caller's callback threw; the exception must not cross C code
};

std::string LowerFirst(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

// "HTTP/1.1 409 Conflict": a new status line starts a new header block (after
// a 100 Continue, say), so it resets what earlier blocks recorded.
void ReadStatusLine(std::string_view line, HttpResponse& response) {
  response.headers.clear();
  response.status = 0;
  response.reason.clear();
  std::size_t space = line.find(' ');
  if (space == std::string_view::npos) return;
  std::string_view rest = line.substr(space + 1);
  long status = 0;
  std::size_t digits = 0;
  while (digits < rest.size() && digits < 3 &&
         std::isdigit(static_cast<unsigned char>(rest[digits])))
    status = status * 10 + (rest[digits++] - '0');
  response.status = status;
  response.reason = std::string(Trim(rest.substr(digits)));
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    ReadStatusLine(Trim(line), t->response);
  } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string name(Trim(line.substr(0, colon)));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    t->response.headers[name] = std::string(Trim(line.substr(colon + 1)));
  }
  return size * count;
}

// Hands one piece of a successful streamed body to the caller. False ends
// the transfer: the caller or a stop request asked for it, or the callback threw.
bool Deliver(Transfer& t, std::string_view chunk) {
  if (t.request->stop.stop_requested()) {
    t.response.stopped = true;
    return false;
  }
  try {
    if (t.request->on_chunk(chunk)) return true;
    t.response.stopped = true;
  } catch (...) {
    t.callback_threw = true;
  }
  return false;
}

// Returning anything but `size * count` makes libcurl end the transfer.
size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view chunk(data, size * count);
  bool success = t->response.status >= 200 && t->response.status < 300;
  if (t->request->on_chunk && success) return Deliver(*t, chunk) ? chunk.size() : 0;
  if (t->response.body.size() + chunk.size() > kMaxBodyBytes) {
    t->too_large = true;
    return 0;
  }
  t->response.body.append(chunk);
  return chunk.size();
}

size_t OnUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->request->stop.stop_requested()) {
    t->response.stopped = true;
    return CURL_READFUNC_ABORT;
  }
  try {
    Result<std::size_t> n = t->request->upload(std::span<char>(buffer, size * count));
    if (n.ok()) return std::min(*n, size * count);
    t->reader_error = n.error();
  } catch (...) {
    t->callback_threw = true;
  }
  return CURL_READFUNC_ABORT;
}

// libcurl calls this at least once a second, also while the socket is idle,
// which is what lets a stop request end a quiet event stream promptly.
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (!t->request->stop.stop_requested()) return 0;
  t->response.stopped = true;
  return 1;
}

SlistPtr RequestHeaders(const HttpRequest& request) {
  std::vector<std::string> lines;
  // An empty value removes the header libcurl would add (a form type for POST).
  lines.push_back("Content-Type: " + request.content_type);
  lines.push_back("Expect:");  // no 100-continue round trip before uploads
  if (request.upload) lines.push_back("Transfer-Encoding: chunked");
  curl_slist* list = nullptr;
  for (const std::string& line : lines) {
    curl_slist* grown = curl_slist_append(list, line.c_str());
    if (grown == nullptr) return SlistPtr(list);
    list = grown;
  }
  return SlistPtr(list);
}

// Picks how libcurl sends the method and body.
CURLcode SetMethod(CURL* curl, const HttpRequest& request, Transfer& t) {
  CURLcode rc = CURLE_OK;
  bool has_body = request.upload || !request.body.empty() || request.method == "POST";
  if (request.upload) {
    rc = curl_easy_setopt(curl, CURLOPT_POST, 1L);
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_READFUNCTION, OnUpload);
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_READDATA, &t);
  } else if (has_body) {
    rc = curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                          static_cast<curl_off_t>(request.body.size()));
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  } else if (request.method == "HEAD") {
    rc = curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  }
  if (rc == CURLE_OK && request.method != "GET" && request.method != "POST")
    rc = curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  return rc;
}

CURLcode Configure(CURL* curl, const DockerOptions& options, const HttpRequest& request,
                   const std::string& url, curl_slist* headers, Transfer& t) {
  long timeout_ms = static_cast<long>(request.timeout.value_or(options.call_timeout).count());
  CURLcode rc = curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(curl, option, value);
  };
  set(CURLOPT_UNIX_SOCKET_PATH, options.socket_path.c_str());
  set(CURLOPT_NOSIGNAL, 1L);  // signals and several threads don't mix
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
  set(CURLOPT_TIMEOUT_MS, timeout_ms);
  set(CURLOPT_HTTPHEADER, headers);
  set(CURLOPT_HEADERFUNCTION, OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&t));
  set(CURLOPT_WRITEFUNCTION, OnBody);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&t));
  set(CURLOPT_NOPROGRESS, 0L);
  set(CURLOPT_XFERINFOFUNCTION, OnProgress);
  set(CURLOPT_XFERINFODATA, static_cast<void*>(&t));
  if (rc == CURLE_OK) rc = SetMethod(curl, request, t);
  return rc;
}

bool IsUnreachable(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
      return true;
    default:
      return false;
  }
}

Error TransportError(const std::string& where, const DockerOptions& options,
                     const HttpRequest& request, CURL* curl, CURLcode rc) {
  std::string reason = LowerFirst(curl_easy_strerror(rc));
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    auto limit = request.timeout.value_or(options.call_timeout);
    reason +=
        limit.count() > 0
            ? " (no complete response within " + std::to_string(limit.count()) + " ms)"
            : " (no connection within " + std::to_string(options.connect_timeout.count()) + " ms)";
  } else if (long os_errno = 0;
             curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno != 0) {
    reason += " (" + LowerFirst(std::strerror(static_cast<int>(os_errno))) + ")";
  }
  std::string message = "docker socket " + options.socket_path + ": " + reason;
  return IsUnreachable(rc) ? Error::Unreachable(where, message) : Error::Internal(where, message);
}

std::string WhereFor(const std::string& host) { return host.empty() ? "" : "host " + host; }

}  // namespace

Error ResponseError(const std::string& where, const HttpResponse& response) {
  std::string message = std::to_string(response.status);
  if (!response.reason.empty()) message += " " + response.reason;
  std::string detail;
  try {
    nlohmann::json body = nlohmann::json::parse(response.body);
    if (body.is_object() && body.contains("message") && body["message"].is_string())
      detail = body["message"].get<std::string>();
  } catch (const nlohmann::json::exception&) {
    // Not Docker's JSON shape (a proxy, a crash page): quote the start of the text.
    detail = std::string(Trim(response.body).substr(0, 200));
  }
  if (!detail.empty()) message += ": " + detail;
  long s = response.status;
  if (s == 404) return Error::NotFound(where, message);
  if (s == 409 || s == 403) return Error::Conflict(where, message);
  if (s >= 400 && s < 500) return Error::Invalid(where, message);
  return Error::Internal(where, message);
}

DockerHttp::DockerHttp(DockerOptions options)
    : options_(std::move(options)), where_(WhereFor(options_.host)) {}

DockerHttp::CurlPtr DockerHttp::Borrow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      CurlPtr handle = std::move(idle_.back());
      idle_.pop_back();
      // Reset forgets the last request's options but keeps its open connection.
      curl_easy_reset(handle.get());
      return handle;
    }
  }
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!initialised) return nullptr;
  return CurlPtr(curl_easy_init());
}

void DockerHttp::Return(CurlPtr handle) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(handle));
}

Result<HttpResponse> DockerHttp::Send(const HttpRequest& request) {
  if (options_.socket_path.empty()) return Error::Invalid(where_, "no docker socket path given");
  CurlPtr curl = Borrow();
  if (!curl) return Error::Internal(where_, "cannot create a libcurl handle");
  Transfer t;
  t.request = &request;
  SlistPtr headers = RequestHeaders(request);
  std::string url = "http://docker" + request.target;
  CURLcode rc = Configure(curl.get(), options_, request, url, headers.get(), t);
  if (rc == CURLE_OK) rc = curl_easy_perform(curl.get());
  std::string call = request.method + " " + request.target;
  Result<HttpResponse> result = std::move(t.response);
  if (t.reader_error) {
    result = *t.reader_error;
  } else if (t.callback_threw) {
    result = Error::Internal(where_, "callback threw an exception during " + call);
  } else if (t.too_large) {
    result = Error::Internal(where_, "response to " + call + " is larger than " +
                                         std::to_string(kMaxBodyBytes >> 20) + " MiB");
  } else if (rc != CURLE_OK && !(result.ok() && result->stopped)) {
    result = TransportError(where_, options_, request, curl.get(), rc);
  }
  Return(std::move(curl));
  return result;
}

}  // namespace baton::runtime
