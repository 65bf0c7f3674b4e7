#pragma once
// Chan<T>: Go's channel. A handle (cheap to copy, reference-counted) to a channel that is
// unbuffered (capacity 0: every send waits for a receiver) or buffered (FIFO of `capacity`).
// A default-constructed Chan is the nil channel: sending or receiving on it blocks forever, and
// a select case on it never fires.
//
//   Chan<int> jobs(10, "jobs");
//   co_await jobs.send(1);                        // parks while the buffer is full
//   auto [v, ok] = co_await jobs.recv();          // ok == false: closed and drained
//   while (auto r = co_await jobs.recv()) use(r.value);   // drain until closed
//   jobs.close();
//
// Semantics exactly as Go's: send on a closed channel throws ChannelError (so does closing twice
// or closing nil); a receive on a closed channel returns the buffered values, then {T{}, false}.
// Tasks use the awaitable send()/recv(); ordinary threads use send_blocking()/recv_blocking()
// and the non-blocking try_send()/try_recv(). Thread-safe; operations are const because a Chan
// is a reference, like Go's (a lambda can capture one by value and send on it).
#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "runtime/channel_core.h"
#include "runtime/errors.h"

namespace cs::rt {

template <class T>
struct RecvResult {
    T value{};
    bool ok = false;
    explicit operator bool() const noexcept { return ok; }
};

// The element type of a channel: default-constructible (the zero value of a closed receive)
// and movable.
template <class T>
concept ChannelElement = std::default_initializable<T> && std::movable<T>;

inline constexpr long long max_channel_capacity = 1LL << 26;

template <ChannelElement T>
class ChanState final : public ChanCore {
  public:
    enum class Op { done, closed, would_block };

    ChanState(size_t capacity, std::string name, bool internal)
        : ChanCore(capacity, std::move(name), internal) {
        if (capacity) m_slots = new T[capacity];
        publish();
    }
    ~ChanState() override {
        withdraw();
        delete[] slots();
    }

    // ---- the operations, with `mu` held. A task to wake is returned in `woken` (wake it after
    // unlocking, charging `charge`).

    Op send_locked(T& v, WaitNode*& woken, BlockedTime*& charge) {
        if (m_closed.load(std::memory_order_relaxed)) return Op::closed;
        if (WaitNode* r = recvq.pop_claimed()) {  // a receiver is parked: hand over directly
            *static_cast<T*>(r->slot) = std::move(v);
            r->ok = true;
            note_send();
            note_recv();
            woken = r;
            charge = &m_recv_blocked;
            return Op::done;
        }
        if (buffered_locked() < m_cap) {
            slots()[m_sendx] = std::move(v);
            if (++m_sendx == m_cap) m_sendx = 0;
            note_send();
            return Op::done;
        }
        return Op::would_block;
    }

    Op recv_locked(T& out, bool& ok, WaitNode*& woken, BlockedTime*& charge) {
        if (WaitNode* s = sendq.pop_claimed()) {
            if (m_cap == 0) {  // rendezvous: take straight from the parked sender
                out = std::move(*static_cast<T*>(s->slot));
                note_send();
                note_recv();
            } else {  // the buffer is full: take its head, move the sender's value to its tail
                out = std::move(slots()[m_recvx]);
                slots()[m_recvx] = std::move(*static_cast<T*>(s->slot));
                if (++m_recvx == m_cap) m_recvx = 0;
                m_sendx = m_recvx;
                note_recv();
                note_send();
            }
            s->ok = true;
            ok = true;
            woken = s;
            charge = &m_send_blocked;
            return Op::done;
        }
        if (buffered_locked() > 0) {
            out = std::move(slots()[m_recvx]);
            slots()[m_recvx] = T{};
            if (++m_recvx == m_cap) m_recvx = 0;
            note_recv();
            ok = true;
            return Op::done;
        }
        if (m_closed.load(std::memory_order_relaxed)) {
            out = T{};
            ok = false;
            return Op::done;
        }
        return Op::would_block;
    }

    // Marks the channel closed and moves every parked task into `to_wake`. False if it already was.
    bool close_locked(WaitQueue& to_wake) {
        if (m_closed.load(std::memory_order_relaxed)) return false;
        m_closed.store(true, std::memory_order_relaxed);
        note_close();
        while (WaitNode* r = recvq.pop_claimed()) {
            *static_cast<T*>(r->slot) = T{};
            r->ok = false;
            to_wake.push_back(r);
        }
        while (WaitNode* s = sendq.pop_claimed()) {
            s->ok = false;
            to_wake.push_back(s);
        }
        return true;
    }

    void wake_one(WaitNode* n, BlockedTime* charge) { wake(*n->parker, telemetry_id, charge); }

    [[noreturn]] void throw_send_on_closed() const {
        throw ChannelError("send on closed channel" + label());
    }
    std::string label() const { return telemetry_name.empty() ? "" : " '" + telemetry_name + "'"; }

  private:
    T* slots() const noexcept { return static_cast<T*>(m_slots); }
};

template <ChannelElement T>
class Chan {
  public:
    using State = ChanState<T>;

    Chan() = default;  // the nil channel
    // Throws InvalidArgument for a capacity outside 0 .. max_channel_capacity.
    explicit Chan(long long capacity, std::string name = {})
        : Chan(capacity, std::move(name), Role::program) {}

    // Who made it: the runtime's own channels (timers', contexts') are flagged as internal in
    // snapshots, so views can leave them out.
    enum class Role { program, runtime };
    Chan(long long capacity, std::string name, Role role) {
        if (capacity < 0 || capacity > max_channel_capacity) {
            throw_out_of_range("channel capacity", capacity, "0 .. 67108864");
        }
        m_state = new State(static_cast<size_t>(capacity), std::move(name), role == Role::runtime);
    }
    Chan(const Chan& o) noexcept : m_state(o.m_state) {
        if (m_state) m_state->add_ref();
    }
    Chan(Chan&& o) noexcept : m_state(std::exchange(o.m_state, nullptr)) {}
    Chan& operator=(Chan o) noexcept {
        std::swap(m_state, o.m_state);
        return *this;
    }
    ~Chan() {
        if (m_state) m_state->drop_ref();
    }

    bool is_nil() const noexcept { return m_state == nullptr; }
    size_t len() const noexcept { return m_state ? m_state->len() : 0; }
    size_t cap() const noexcept { return m_state ? m_state->cap() : 0; }
    bool closed() const noexcept { return m_state && m_state->closed(); }
    uint64_t id() const noexcept { return m_state ? m_state->id() : 0; }
    State* state() const noexcept { return m_state; }
    friend bool operator==(const Chan& a, const Chan& b) noexcept { return a.m_state == b.m_state; }

    // ---- tasks ----

    [[nodiscard]] auto send(T value) const { return SendAwaiter{m_state, std::move(value)}; }
    [[nodiscard]] auto recv() const { return RecvAwaiter{m_state}; }

    // Throws ChannelError on a nil or already closed channel. Any thread.
    void close() const {
        if (!m_state) throw ChannelError("close of nil channel");
        WaitQueue to_wake;
        m_state->mu.lock();
        bool first = m_state->close_locked(to_wake);
        m_state->mu.unlock();
        if (!first) throw ChannelError("close of closed channel" + m_state->label());
        while (WaitNode* n = to_wake.front()) {
            to_wake.remove(n);
            m_state->wake_one(n, nullptr);
        }
    }

    // ---- ordinary threads ----

    // Blocks the thread until the value is taken (or buffered). Throws ChannelError if closed.
    void send_blocking(T value) const {
        if (!m_state) block_forever();
        WaitNode* woken = nullptr;
        BlockedTime* charge = nullptr;
        m_state->mu.lock();
        auto op = m_state->send_locked(value, woken, charge);
        if (op == State::Op::would_block) {
            Parker parker;
            WaitNode node;
            node.parker = &parker;
            node.slot = &value;
            m_state->sendq.push_back(&node);
            m_state->mu.unlock();
            parker.wait_thread();
            if (!node.ok) m_state->throw_send_on_closed();
            return;
        }
        m_state->mu.unlock();
        if (op == State::Op::closed) m_state->throw_send_on_closed();
        if (woken) m_state->wake_one(woken, charge);
    }

    RecvResult<T> recv_blocking() const {
        if (!m_state) block_forever();
        RecvResult<T> r;
        WaitNode* woken = nullptr;
        BlockedTime* charge = nullptr;
        m_state->mu.lock();
        auto op = m_state->recv_locked(r.value, r.ok, woken, charge);
        if (op == State::Op::would_block) {
            Parker parker;
            WaitNode node;
            node.parker = &parker;
            node.slot = &r.value;
            m_state->recvq.push_back(&node);
            m_state->mu.unlock();
            parker.wait_thread();
            r.ok = node.ok;
            return r;
        }
        m_state->mu.unlock();
        if (woken) m_state->wake_one(woken, charge);
        return r;
    }

    // Sends if that needs no waiting. False when it would block (or the channel is nil).
    // Throws ChannelError if closed.
    bool try_send(T value) const {
        if (!m_state) return false;
        WaitNode* woken = nullptr;
        BlockedTime* charge = nullptr;
        m_state->mu.lock();
        auto op = m_state->send_locked(value, woken, charge);
        m_state->mu.unlock();
        if (op == State::Op::closed) m_state->throw_send_on_closed();
        if (woken) m_state->wake_one(woken, charge);
        return op == State::Op::done;
    }

    // Receives if that needs no waiting: nullopt when it would block; {T{}, false} when closed.
    std::optional<RecvResult<T>> try_recv() const {
        if (!m_state) return std::nullopt;
        RecvResult<T> r;
        WaitNode* woken = nullptr;
        BlockedTime* charge = nullptr;
        m_state->mu.lock();
        auto op = m_state->recv_locked(r.value, r.ok, woken, charge);
        m_state->mu.unlock();
        if (woken) m_state->wake_one(woken, charge);
        if (op == State::Op::would_block) return std::nullopt;
        return r;
    }

  private:
    [[noreturn]] static void block_forever() {
        // A thread blocked on a nil channel would hang for good: report it instead.
        throw ChannelError("blocking operation on a nil channel from a thread would never return");
    }

    struct SendAwaiter {
        State* ch;
        T value;
        TaskControl* self = nullptr;
        Parker parker{};
        WaitNode node{};
        typename State::Op op = State::Op::done;

        bool await_ready() {
            self = require_task("Chan::send");
            if (!ch) return false;  // nil channel: park forever
            WaitNode* woken = nullptr;
            BlockedTime* charge = nullptr;
            ch->mu.lock();
            op = ch->send_locked(value, woken, charge);
            if (op == State::Op::would_block) return false;  // keep the lock for await_suspend
            ch->mu.unlock();
            if (woken) ch->wake_one(woken, charge);
            return true;
        }
        void await_suspend(std::coroutine_handle<> h) {
            parker.task = self;
            if (!ch) {
                park_current(self, h, WaitReason::send, 0);
                return;
            }
            node.parker = &parker;
            node.slot = &value;
            park_current(self, h, WaitReason::send, ch->id());
            ch->sendq.push_back(&node);
            ch->mu.unlock();  // from here a receiver may resume us on another worker
        }
        void await_resume() {
            if (op == State::Op::closed || (op == State::Op::would_block && !node.ok))
                ch->throw_send_on_closed();
        }
        ~SendAwaiter() {
            if (node.queued) {  // destroyed while parked (engine shutdown)
                ch->mu.lock();
                ch->sendq.remove(&node);
                ch->mu.unlock();
            }
        }
    };

    struct RecvAwaiter {
        State* ch;
        TaskControl* self = nullptr;
        RecvResult<T> result{};
        Parker parker{};
        WaitNode node{};
        bool parked = false;

        bool await_ready() {
            self = require_task("Chan::recv");
            if (!ch) return false;
            WaitNode* woken = nullptr;
            BlockedTime* charge = nullptr;
            ch->mu.lock();
            auto op = ch->recv_locked(result.value, result.ok, woken, charge);
            if (op == State::Op::would_block) return false;
            ch->mu.unlock();
            if (woken) ch->wake_one(woken, charge);
            return true;
        }
        void await_suspend(std::coroutine_handle<> h) {
            parker.task = self;
            parked = true;
            if (!ch) {
                park_current(self, h, WaitReason::recv, 0);
                return;
            }
            node.parker = &parker;
            node.slot = &result.value;
            park_current(self, h, WaitReason::recv, ch->id());
            ch->recvq.push_back(&node);
            ch->mu.unlock();
        }
        RecvResult<T> await_resume() {
            if (parked) result.ok = node.ok;
            return std::move(result);
        }
        ~RecvAwaiter() {
            if (node.queued) {
                ch->mu.lock();
                ch->recvq.remove(&node);
                ch->mu.unlock();
            }
        }
    };

    State* m_state = nullptr;
};

// Go's struct{}: the element of channels that only signal (done, ticks of a closed channel).
struct Unit {
    friend bool operator==(Unit, Unit) { return true; }
};

}  // namespace cs::rt
