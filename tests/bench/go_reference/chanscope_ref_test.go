// Package chanscope_ref holds the Go reference benchmarks that the C++
// chanscope_bench is compared against. Every benchmark processes b.N
// "items" (a message, a job, a goroutine, a round trip or a call), so
// ns/op is the time per item and the extra "items/s" metric lines up with
// Google Benchmark's items_per_second.
//
// Run with ./run.sh (GOPATH mode; needs golang.org/x/sync and x/time).
package chanscope_ref

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"
)

// sink keeps results observable so the work cannot be optimised away.
var sink int64

// start resets the benchmark timer and returns the wall-clock start used
// for the items/s metric (testing.B.Elapsed only exists from Go 1.20).
func start(b *testing.B) time.Time {
	b.ReportAllocs()
	b.ResetTimer()
	return time.Now()
}

// reportItems stops the timer and reports b.N / elapsed seconds as items/s.
func reportItems(b *testing.B, t0 time.Time) {
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "items/s")
}

// BenchmarkChanPingPong: two goroutines bounce a value over two unbuffered
// channels. Item = one round trip (ping + pong).
func BenchmarkChanPingPong(b *testing.B) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	t0 := start(b)
	v := 0
	for i := 0; i < b.N; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)
	<-pong // wait for the echo goroutine to finish
	reportItems(b, t0)
	sink = int64(v)
}

// BenchmarkChanProdCons: one producer, one consumer, channel capacity
// 0/10/100 (sub-benchmark name). Item = one message.
func BenchmarkChanProdCons(b *testing.B) {
	for _, capacity := range []int{0, 10, 100} {
		capacity := capacity
		b.Run(strconv.Itoa(capacity), func(b *testing.B) {
			ch := make(chan int, capacity)
			done := make(chan int64)
			go func() { // consumer
				var sum int64
				for v := range ch {
					sum += int64(v)
				}
				done <- sum
			}()
			t0 := start(b)
			go func() { // producer
				for i := 0; i < b.N; i++ {
					ch <- i
				}
				close(ch)
			}()
			sink = <-done
			reportItems(b, t0)
		})
	}
}

// BenchmarkChanMPMC: 4 producers, 4 consumers, capacity 100.
// The b.N messages are split across the producers. Item = one message.
func BenchmarkChanMPMC(b *testing.B) {
	const producers, consumers, capacity = 4, 4, 100
	ch := make(chan int, capacity)
	var prodWG, consWG sync.WaitGroup
	sums := make([]int64, consumers)

	t0 := start(b)
	for c := 0; c < consumers; c++ {
		consWG.Add(1)
		go func(c int) {
			defer consWG.Done()
			var sum int64
			for v := range ch {
				sum += int64(v)
			}
			sums[c] = sum
		}(c)
	}
	for p := 0; p < producers; p++ {
		// Producer p sends items [lo, hi) so the total is exactly b.N.
		lo, hi := b.N*p/producers, b.N*(p+1)/producers
		prodWG.Add(1)
		go func(lo, hi int) {
			defer prodWG.Done()
			for i := lo; i < hi; i++ {
				ch <- i
			}
		}(lo, hi)
	}
	prodWG.Wait()
	close(ch)
	consWG.Wait()
	reportItems(b, t0)
	for _, s := range sums {
		sink += s
	}
}

// BenchmarkSpawnJoin: spawn goroutines that only call wg.Done(), joining
// with wg.Wait() after every batch of 200k (the C++ version spawns 200k per
// iteration). Item = one goroutine.
func BenchmarkSpawnJoin(b *testing.B) {
	const batch = 200_000
	var wg sync.WaitGroup
	t0 := start(b)
	for left := b.N; left > 0; left -= batch {
		n := batch
		if left < n {
			n = left
		}
		wg.Add(n)
		for i := 0; i < n; i++ {
			go wg.Done()
		}
		wg.Wait()
	}
	reportItems(b, t0)
}

// BenchmarkSelect2: two producers on two capacity-16 channels, one consumer
// selecting over both until both are closed (a closed channel is set to nil
// so its case is never chosen again). Item = one message received.
func BenchmarkSelect2(b *testing.B) {
	a, c := make(chan int, 16), make(chan int, 16)
	produce := func(ch chan<- int, n int) {
		for i := 0; i < n; i++ {
			ch <- i
		}
		close(ch)
	}
	t0 := start(b)
	go produce(a, b.N/2)
	go produce(c, b.N-b.N/2)
	var sum int64
	received := 0
	for a != nil || c != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil
				continue
			}
			sum += int64(v)
			received++
		case v, ok := <-c:
			if !ok {
				c = nil
				continue
			}
			sum += int64(v)
			received++
		}
	}
	reportItems(b, t0)
	if received != b.N {
		b.Fatalf("received %d, want %d", received, b.N)
	}
	sink = sum
}

// BenchmarkWorkerPool: a feeder sends b.N jobs over a capacity-100 channel
// to 8 workers that square them onto a capacity-100 results channel, which
// the benchmark goroutine sums. Item = one job.
func BenchmarkWorkerPool(b *testing.B) {
	const workers, capacity = 8, 100
	jobs := make(chan int, capacity)
	results := make(chan int64, capacity)
	var wg sync.WaitGroup

	t0 := start(b)
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- int64(j) * int64(j)
			}
		}()
	}
	go func() { // feeder
		for i := 0; i < b.N; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	go func() { // close results once every worker has finished
		wg.Wait()
		close(results)
	}()
	var sum int64
	for r := range results {
		sum += r
	}
	reportItems(b, t0)
	sink = sum
}

// BenchmarkPipeline3: generator -> square -> sum, stages connected by
// capacity-64 channels; the sum stage runs on the benchmark goroutine.
// Item = one value through the whole pipeline.
func BenchmarkPipeline3(b *testing.B) {
	const capacity = 64
	t0 := start(b)
	gen := make(chan int, capacity)
	go func() {
		for i := 0; i < b.N; i++ {
			gen <- i
		}
		close(gen)
	}()
	sq := make(chan int64, capacity)
	go func() {
		for v := range gen {
			sq <- int64(v) * int64(v)
		}
		close(sq)
	}()
	var sum int64
	for v := range sq {
		sum += v
	}
	reportItems(b, t0)
	sink = sum
}

// BenchmarkRateLimiterAllow: x/time/rate Limiter with rate.Inf, Allow() in a
// loop on one goroutine. Item = one call.
func BenchmarkRateLimiterAllow(b *testing.B) {
	lim := rate.NewLimiter(rate.Inf, 1)
	allowed := 0
	t0 := start(b)
	for i := 0; i < b.N; i++ {
		if lim.Allow() {
			allowed++
		}
	}
	reportItems(b, t0)
	sink = int64(allowed)
}

// BenchmarkSemaphoreAcquireRelease: uncontended Acquire(ctx, 1)/Release(1)
// on a large x/sync/semaphore.Weighted from one goroutine.
// Item = one acquire+release pair.
func BenchmarkSemaphoreAcquireRelease(b *testing.B) {
	sem := semaphore.NewWeighted(1 << 30)
	ctx := context.Background()
	t0 := start(b)
	for i := 0; i < b.N; i++ {
		if err := sem.Acquire(ctx, 1); err != nil {
			b.Fatal(err)
		}
		sem.Release(1)
	}
	reportItems(b, t0)
}
