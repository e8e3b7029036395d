//! Bounded concurrency for the engine: a few workers each take the next item as soon as they are
//! free, so one slow resource holds up only itself, not a whole batch of others.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Returns `work` of every item, in the items' order, running at most `limit` at once.
pub fn map_concurrently<T, R>(items: &[T], limit: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let workers = limit.clamp(1, items.len().max(1));
    if workers == 1 {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|threads| {
        for _ in 0..workers {
            threads.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else { break };
                    let result = work(item);
                    *results[index].lock().unwrap() = Some(result);
                }
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .unwrap()
                .expect("every item was worked on")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn keeps_the_order_and_the_bound() {
        let running = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        let items: Vec<u64> = (0..20).collect();
        let doubled = map_concurrently(&items, 3, |item| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            // Later items finish first, so the order must come from the index, not the finish.
            std::thread::sleep(Duration::from_millis(20 - item));
            running.fetch_sub(1, Ordering::SeqCst);
            item * 2
        });
        assert_eq!(doubled, (0..20).map(|i| i * 2).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 3);
    }

    #[test]
    fn a_free_worker_takes_the_next_item_without_waiting_for_the_others() {
        // One slow item and four quick ones on two workers: chunks of two would take two slow
        // rounds; a pool takes one.
        let items = [300u64, 10, 10, 10, 10];
        let order = Mutex::new(Vec::new());
        map_concurrently(&items, 2, |ms| {
            std::thread::sleep(Duration::from_millis(*ms));
            order.lock().unwrap().push(*ms);
        });
        let order = order.into_inner().unwrap();
        // The quick items all finished before the slow one.
        assert_eq!(order, [10, 10, 10, 10, 300]);
    }
}
