#include "compose/shell_words.h"

namespace baton::compose {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsOperator(char c) { return c == ';' || c == '&' || c == '|' || c == '<' || c == '>'; }

// go-shellwords' state while it walks the line.
class WordSplitter {
 public:
  Status Feed(char c);
  Result<std::vector<std::string>> Finish();

 private:
  bool Quoted() const { return single_ || double_ || backquote_ || dollar_; }
  void EndWord();
  Status Special(char c, bool& consumed);

  std::vector<std::string> words_;
  std::string word_;
  bool has_word_ = false;  // a word is open, even if empty ("")
  bool escaped_ = false;
  bool single_ = false;
  bool double_ = false;
  bool backquote_ = false;
  bool dollar_ = false;  // inside $( ... )
};

void WordSplitter::EndWord() {
  if (has_word_) words_.push_back(std::move(word_));
  word_.clear();
  has_word_ = false;
}

// Quotes, parentheses and operators; sets `consumed` when `c` is not text.
Status WordSplitter::Special(char c, bool& consumed) {
  consumed = false;
  bool plain = !single_ && !double_ && !backquote_;
  switch (c) {
    case '`':
      if (!single_ && !double_ && !dollar_) backquote_ = !backquote_;
      return Status::Ok();
    case '(':
      if (!plain) return Status::Ok();
      if (dollar_ || word_.empty() || word_.back() != '$')
        return Error::Invalid("", "unexpected \"(\"");
      dollar_ = true;
      return Status::Ok();
    case ')':
      if (!plain) return Status::Ok();
      if (!dollar_) return Error::Invalid("", "unexpected \")\"");
      dollar_ = false;
      return Status::Ok();
    case '"':
      if (single_ || dollar_) return Status::Ok();
      if (double_) has_word_ = true;
      double_ = !double_;
      consumed = true;
      return Status::Ok();
    case '\'':
      if (double_ || dollar_) return Status::Ok();
      if (single_) has_word_ = true;
      single_ = !single_;
      consumed = true;
      return Status::Ok();
    default:
      if (IsOperator(c) && !Quoted())
        return Error::Invalid("", "shell operator \"" + std::string(1, c) +
                                      "\" is not supported: write the command as a list, "
                                      "or run it with sh -c");
      return Status::Ok();
  }
}

Status WordSplitter::Feed(char c) {
  if (escaped_) {
    word_ += c == 't' ? '\t' : c == 'n' ? '\n' : c;
    escaped_ = false;
    has_word_ = true;
    return Status::Ok();
  }
  if (c == '\\' && !single_) {
    escaped_ = true;
    return Status::Ok();
  }
  if (IsBlank(c) && !Quoted()) {
    EndWord();
    return Status::Ok();
  }
  bool consumed = false;
  if (Status s = Special(c, consumed); !s.ok()) return s;
  if (consumed) return Status::Ok();
  word_ += c;
  has_word_ = true;
  return Status::Ok();
}

Result<std::vector<std::string>> WordSplitter::Finish() {
  if (escaped_) return Error::Invalid("", "unfinished escape at the end");
  if (single_ || double_) return Error::Invalid("", "unterminated quote");
  if (backquote_) return Error::Invalid("", "unterminated backquote");
  if (dollar_) return Error::Invalid("", "unterminated \"$(\"");
  EndWord();
  return std::move(words_);
}

}  // namespace

Result<std::vector<std::string>> SplitShellWords(std::string_view line) {
  WordSplitter splitter;
  for (char c : line)
    if (Status s = splitter.Feed(c); !s.ok()) return s.error();
  return splitter.Finish();
}

}  // namespace baton::compose
