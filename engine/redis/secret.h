#pragma once
// Secret: a password the program must use but never show. It cannot be printed or streamed (no
// operator<<, no conversion to a string); reveal() is the one way to its text, used where the
// password goes on the wire. Copies are zeroed when destroyed, so a freed buffer does not keep it.
#include <string>
#include <utility>

namespace cs::redis {

class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string text) : m_text(std::move(text)) {}
    Secret(const Secret&) = default;
    Secret(Secret&& other) noexcept : m_text(std::move(other.m_text)) { other.wipe(); }
    Secret& operator=(const Secret& other) {
        if (this != &other) {
            wipe();
            m_text = other.m_text;
        }
        return *this;
    }
    Secret& operator=(Secret&& other) noexcept {
        if (this != &other) {
            wipe();
            m_text = std::move(other.m_text);
            other.wipe();
        }
        return *this;
    }
    ~Secret() { wipe(); }

    bool empty() const noexcept { return m_text.empty(); }
    const std::string& reveal() const noexcept { return m_text; }
    bool operator==(const Secret& other) const noexcept { return m_text == other.m_text; }

  private:
    void wipe() noexcept {
        volatile char* p = m_text.data();
        for (size_t i = 0; i < m_text.size(); ++i) p[i] = 0;
        m_text.clear();
    }
    std::string m_text;
};

}  // namespace cs::redis
