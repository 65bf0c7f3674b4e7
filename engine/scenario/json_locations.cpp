#include "scenario/json_locations.h"

#include <cctype>

namespace cs::scenario {
namespace {

class Scanner {
  public:
    explicit Scanner(std::string_view text) : m_text(text) {}

    void value(const std::string& path, TextPosition key_pos) {
        skip_space();
        m_out[path] = {key_pos, m_pos};
        if (at_end()) return;
        char c = m_text[m_i];
        if (c == '{')
            object(path);
        else if (c == '[')
            array(path);
        else if (c == '"')
            string();
        else
            while (!at_end() && !std::isspace(static_cast<unsigned char>(peek())) &&
                   peek() != ',' && peek() != '}' && peek() != ']')
                advance();
    }

    std::map<std::string, JsonLocation> take() { return std::move(m_out); }
    TextPosition here() const { return m_pos; }

  private:
    void object(const std::string& path) {
        advance();  // {
        skip_space();
        if (!at_end() && peek() == '}') {
            advance();
            return;
        }
        while (!at_end()) {
            skip_space();
            TextPosition key_pos = m_pos;
            std::string key = string();
            skip_space();
            if (!at_end() && peek() == ':') advance();
            value(member_path(path, key), key_pos);
            skip_space();
            if (at_end()) return;
            char c = peek();
            advance();
            if (c == '}') return;
        }
    }

    void array(const std::string& path) {
        advance();  // [
        skip_space();
        if (!at_end() && peek() == ']') {
            advance();
            return;
        }
        for (size_t index = 0; !at_end(); ++index) {
            skip_space();
            value(element_path(path, index), m_pos);
            skip_space();
            if (at_end()) return;
            char c = peek();
            advance();
            if (c == ']') return;
        }
    }

    // Reads a string literal; simple escapes are decoded (keys are compared with the parser's).
    std::string string() {
        std::string out;
        advance();  // opening quote
        while (!at_end() && peek() != '"') {
            char c = peek();
            advance();
            if (c == '\\' && !at_end()) {
                char e = peek();
                advance();
                switch (e) {
                    case 'n':
                        out += '\n';
                        break;
                    case 't':
                        out += '\t';
                        break;
                    case 'r':
                        out += '\r';
                        break;
                    case 'b':
                        out += '\b';
                        break;
                    case 'f':
                        out += '\f';
                        break;
                    case 'u':
                        out += "\\u";
                        break;  // rare in keys: kept raw
                    default:
                        out += e;
                }
            } else {
                out += c;
            }
        }
        if (!at_end()) advance();  // closing quote
        return out;
    }

    void skip_space() {
        while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) advance();
    }
    bool at_end() const { return m_i >= m_text.size(); }
    char peek() const { return m_text[m_i]; }
    void advance() {
        char c = m_text[m_i++];
        if (c == '\n') {
            ++m_pos.line;
            m_pos.column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++m_pos.column;  // UTF-8 continuation bytes do not start a new character
        }
    }

    std::string_view m_text;
    size_t m_i = 0;
    TextPosition m_pos;
    std::map<std::string, JsonLocation> m_out;
};

bool is_identifier(const std::string& key) {
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
    for (char c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
    return true;
}

}  // namespace

std::map<std::string, JsonLocation> locate_json_values(std::string_view text) {
    Scanner s(text);
    s.value("$", TextPosition{});
    return s.take();
}

TextPosition position_of_offset(std::string_view text, size_t offset) {
    TextPosition pos;
    for (size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++pos.column;
        }
    }
    return pos;
}

std::string member_path(const std::string& parent, const std::string& key) {
    if (is_identifier(key)) return parent + "." + key;
    std::string quoted = "\"";
    for (char c : key)
        quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return parent + "[" + quoted + "\"]";
}

std::string element_path(const std::string& parent, size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

}  // namespace cs::scenario
