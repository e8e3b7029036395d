//! The team lock of an environment whose state is in S3: an item in a DynamoDB table, taken with
//! a conditional put, kept alive by a background thread that counts renewals into it, and deleted
//! on release only if it is still ours.
//!
//! Machines' clocks disagree, so no idp compares its clock with a time another one wrote. A
//! waiter instead watches the item: a holder that dies stops renewing, and once the waiter has
//! seen the same owner and renewal count for a whole lease by its own clock, it takes the lock
//! over with a put conditioned on exactly what it saw. `idp unlock` removes the item at once.
//!
//! A holder whose renewal finds the item taken over, or who could not renew it for two thirds
//! of a lease (after which a waiter may take it at any moment), marks its lock lost; the state
//! backend then refuses to write, so it never overwrites the state of the idp that took over.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::aws::client::Client;
use crate::aws::error::AwsError;
use crate::aws::service::DYNAMODB;

use super::lock::{LockError, LockHolder, now};

/// How long a lock lasts without renewal; it is renewed three times as often.
pub const LEASE: Duration = Duration::from_secs(45);
/// How often a waiting idp looks again.
const POLL: Duration = Duration::from_millis(500);

/// Where a lock item lives.
#[derive(Clone)]
pub struct LockSite {
    pub client: Arc<Client>,
    pub table: String,
    /// `bucket/prefix/environment`.
    pub key: String,
    /// The lease this idp's locks carry ([`LEASE`] outside tests).
    pub lease: Duration,
    /// Set when a held lock is found lost; cleared when one is taken.
    lost: Arc<AtomicBool>,
}

impl LockSite {
    pub fn new(client: Arc<Client>, table: String, key: String, lease: Duration) -> LockSite {
        LockSite {
            client,
            table,
            key,
            lease,
            lost: Arc::default(),
        }
    }

    /// Whether the lock this idp took here was taken over or could not be kept alive.
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::SeqCst)
    }
}

/// A held DynamoDB lock; dropping it stops the renewal and deletes the item.
pub struct DynamoLock {
    site: LockSite,
    owner: String,
    stop: Arc<(Mutex<bool>, Condvar)>,
    renewer: Option<JoinHandle<()>>,
}

impl DynamoLock {
    /// Takes the lock, waiting up to `wait` for another holder; `on_wait` is told once who it is
    /// waiting for. The table is created (pay per request) when it is missing.
    pub fn acquire(
        site: &LockSite,
        environment: &str,
        operation: &str,
        wait: Duration,
        on_wait: &mut dyn FnMut(&LockHolder),
    ) -> Result<DynamoLock, LockError> {
        let owner = format!("{}@{}", std::process::id(), hostname());
        let deadline = Instant::now() + wait;
        let mut told = false;
        let mut created_table = false;
        // The item last seen, and since when by this machine's clock.
        let mut seen: Option<(Item, Instant)> = None;
        loop {
            let item = json!({
                "id": {"S": site.key},
                "owner": {"S": owner},
                "operation": {"S": operation},
                "since": {"N": now().to_string()},
                "lease_seconds": {"N": site.lease.as_secs_f64().ceil().to_string()},
                "renewals": {"N": "0"},
            });
            let mut put = json!({"TableName": site.table, "Item": item});
            match &seen {
                Some((held, at)) if at.elapsed() >= held.lease => held.condition(&mut put),
                _ => put["ConditionExpression"] = "attribute_not_exists(id)".into(),
            }
            match site.client.json(&DYNAMODB, "PutItem", &put) {
                Ok(_) => break,
                Err(e) if e.code() == Some("ResourceNotFoundException") && !created_table => {
                    create_table(site).map_err(|e| remote(site, &e))?;
                    created_table = true;
                }
                Err(e) if e.code() == Some("ConditionalCheckFailedException") => {
                    let Some(held) = read_item(site).map_err(|e| remote(site, &e))? else {
                        // Released meanwhile: try again at once.
                        seen = None;
                        continue;
                    };
                    if seen.as_ref().is_none_or(|(last, _)| !last.same_turn(&held)) {
                        seen = Some((held.clone(), Instant::now()));
                    }
                    if Instant::now() >= deadline {
                        return Err(LockError::HeldRemote {
                            environment: environment.to_string(),
                            holder: held.holder,
                            table: site.table.clone(),
                        });
                    }
                    if !told {
                        on_wait(&held.holder);
                        told = true;
                    }
                    std::thread::sleep(
                        POLL.min(deadline.saturating_duration_since(Instant::now())),
                    );
                }
                Err(e) => return Err(remote(site, &e)),
            }
        }
        site.lost.store(false, Ordering::SeqCst);
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let renewer = {
            let (site, owner, stop) = (site.clone(), owner.clone(), stop.clone());
            std::thread::spawn(move || renew(&site, &owner, &stop))
        };
        Ok(DynamoLock {
            site: site.clone(),
            owner,
            stop,
            renewer: Some(renewer),
        })
    }
}

impl Drop for DynamoLock {
    fn drop(&mut self) {
        let (stopped, signal) = &*self.stop;
        *stopped.lock().expect("the renewal flag is never poisoned") = true;
        signal.notify_all();
        if let Some(renewer) = self.renewer.take() {
            let _ = renewer.join();
        }
        // Only our own lock: if the lease ran out and another idp took it, it is theirs.
        let _ = self.site.client.json(
            &DYNAMODB,
            "DeleteItem",
            &json!({
                "TableName": self.site.table,
                "Key": {"id": {"S": self.site.key}},
                "ConditionExpression": "#owner = :me",
                "ExpressionAttributeNames": {"#owner": "owner"},
                "ExpressionAttributeValues": {":me": {"S": self.owner}},
            }),
        );
    }
}

/// Counts a renewal into the item every third of the lease until told to stop; a waiter that
/// sees the count move knows the holder lives. Stops and marks the lock lost when the item is
/// no longer ours, or when renewals have failed for two thirds of a lease: the next one would
/// come after a waiter may have taken over.
fn renew(site: &LockSite, owner: &str, stop: &(Mutex<bool>, Condvar)) {
    let (stopped, signal) = stop;
    let mut guard = stopped.lock().expect("the renewal flag is never poisoned");
    let mut renewed = Instant::now();
    loop {
        let (next, _) = signal
            .wait_timeout(guard, site.lease / 3)
            .expect("the renewal flag is never poisoned");
        guard = next;
        if *guard {
            return;
        }
        let answer = site.client.json(
            &DYNAMODB,
            "UpdateItem",
            &json!({
                "TableName": site.table,
                "Key": {"id": {"S": site.key}},
                "UpdateExpression": "ADD renewals :one",
                "ConditionExpression": "#owner = :me",
                "ExpressionAttributeNames": {"#owner": "owner"},
                "ExpressionAttributeValues": {":me": {"S": owner}, ":one": {"N": "1"}},
            }),
        );
        let lost = match answer {
            Ok(_) => {
                renewed = Instant::now();
                false
            }
            Err(e) if e.code() == Some("ConditionalCheckFailedException") => true,
            Err(_) => renewed.elapsed() >= site.lease * 2 / 3,
        };
        if lost {
            site.lost.store(true, Ordering::SeqCst);
            return;
        }
    }
}

/// A lock item as read back.
#[derive(Clone)]
struct Item {
    holder: LockHolder,
    /// The owner as written (`pid@host`).
    owner: String,
    /// `None` in an item whose holder never renewed it.
    renewals: Option<String>,
    lease: Duration,
}

impl Item {
    fn parse(item: &Value) -> Item {
        let text = |name: &str| item[name]["S"].as_str().unwrap_or("unknown").to_string();
        let number = |name: &str| item[name]["N"].as_str().and_then(|n| n.parse::<u64>().ok());
        let owner = text("owner");
        let (pid, host) = owner.split_once('@').unwrap_or((owner.as_str(), ""));
        Item {
            holder: LockHolder {
                pid: pid.parse().unwrap_or(0),
                host: Some(host.to_string()).filter(|h| !h.is_empty()),
                operation: text("operation"),
                since: number("since").unwrap_or(0),
            },
            renewals: item["renewals"]["N"].as_str().map(str::to_string),
            lease: Duration::from_secs(number("lease_seconds").unwrap_or(LEASE.as_secs())),
            owner,
        }
    }

    /// Whether `other` is this same holder with no renewal since.
    fn same_turn(&self, other: &Item) -> bool {
        self.owner == other.owner && self.renewals == other.renewals
    }

    /// Makes `put` succeed only if the item is still exactly this one.
    fn condition(&self, put: &mut Value) {
        let mut values = json!({":owner": {"S": self.owner}});
        let renewals = match &self.renewals {
            Some(count) => {
                values[":renewals"] = json!({"N": count});
                "renewals = :renewals"
            }
            None => "attribute_not_exists(renewals)",
        };
        put["ConditionExpression"] = format!("#owner = :owner AND {renewals}").into();
        put["ExpressionAttributeNames"] = json!({"#owner": "owner"});
        put["ExpressionAttributeValues"] = values;
    }
}

fn read_item(site: &LockSite) -> Result<Option<Item>, AwsError> {
    let answer = match site.client.json(
        &DYNAMODB,
        "GetItem",
        &json!({"TableName": site.table, "Key": {"id": {"S": site.key}}, "ConsistentRead": true}),
    ) {
        Ok(answer) => answer,
        Err(e) if e.code() == Some("ResourceNotFoundException") => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(&answer["Item"])
        .filter(|item| !item.is_null())
        .map(Item::parse))
}

/// Returns who holds the lock, if anyone.
pub fn read(site: &LockSite) -> Result<Option<LockHolder>, AwsError> {
    Ok(read_item(site)?.map(|item| item.holder))
}

/// Deletes the lock whoever holds it (`idp unlock`).
pub fn force_release(site: &LockSite) -> Result<(), AwsError> {
    site.client
        .json(
            &DYNAMODB,
            "DeleteItem",
            &json!({"TableName": site.table, "Key": {"id": {"S": site.key}}}),
        )
        .map(|_| ())
}

fn create_table(site: &LockSite) -> Result<(), AwsError> {
    let create = json!({
        "TableName": site.table,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    });
    match site.client.json(&DYNAMODB, "CreateTable", &create) {
        Ok(_) => {}
        Err(e) if e.code() == Some("ResourceInUseException") => {}
        Err(e) => return Err(e),
    }
    // A new table takes a moment to become usable on AWS.
    let mut delay = Duration::from_millis(100);
    for _ in 0..30 {
        let described = site.client.json(
            &DYNAMODB,
            "DescribeTable",
            &json!({"TableName": site.table}),
        )?;
        if described["Table"]["TableStatus"] == "ACTIVE" {
            break;
        }
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_secs(2));
    }
    Ok(())
}

fn remote(site: &LockSite, error: &AwsError) -> LockError {
    LockError::Remote {
        table: site.table.clone(),
        message: error.to_string(),
    }
}

/// Returns this machine's name, for the lock's owner.
fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|name| name.trim().to_string())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::aws::test_moto::Moto;

    pub(in crate::state) fn site(moto: &Moto, lease: Duration) -> LockSite {
        LockSite::new(
            Arc::new(moto.client()),
            "idp-locks".into(),
            "team-state/shop/prod".into(),
            lease,
        )
    }

    pub(in crate::state) fn take(site: &LockSite, wait: Duration) -> Result<DynamoLock, LockError> {
        DynamoLock::acquire(site, "prod", "idp provision", wait, &mut |_| {})
    }

    /// Writes the lock item another idp (`owner`, as `pid@host`) holds, over whatever is there.
    pub(in crate::state) fn put_others_item(
        site: &LockSite,
        owner: &str,
        since: u64,
        lease_seconds: u64,
        renewals: u32,
    ) {
        let item = json!({
            "id": {"S": site.key},
            "owner": {"S": owner},
            "operation": {"S": "idp provision"},
            "since": {"N": since.to_string()},
            "lease_seconds": {"N": lease_seconds.to_string()},
            "renewals": {"N": renewals.to_string()},
        });
        site.client
            .json(
                &DYNAMODB,
                "PutItem",
                &json!({"TableName": site.table, "Item": item}),
            )
            .unwrap();
    }

    #[test]
    fn a_renewing_holder_keeps_its_lock_past_its_lease_and_a_silent_one_loses_it() {
        let moto = Moto::start();
        let site = site(&moto, Duration::from_millis(1500));
        let held = take(&site, Duration::ZERO).unwrap();

        // Three leases' worth of waiting: the holder renews, so the waiter never takes over.
        let waited = Instant::now();
        let Err(LockError::HeldRemote { holder, .. }) = take(&site, Duration::from_millis(4500))
        else {
            panic!("took a lock its holder still renews");
        };
        assert!(waited.elapsed() >= Duration::from_millis(4500));
        assert_eq!(holder.pid, std::process::id());
        let renewals = read_item(&site).unwrap().unwrap().renewals.unwrap();
        assert!(
            renewals.parse::<u32>().unwrap() >= 6,
            "renewed {renewals} times"
        );

        // Released: the next idp takes it at once, and releases it in turn.
        drop(held);
        assert!(read(&site).unwrap().is_none());
        drop(take(&site, Duration::ZERO).unwrap());

        // A dead holder's item, whatever time it says, is taken once it has not moved for its
        // lease by this clock; not before.
        // This one was left by a holder on a machine whose clock runs an hour ahead.
        put_others_item(&site, "4242@ci-runner-7", now() + 3600, 1, 3);
        assert!(take(&site, Duration::from_millis(500)).is_err());
        let waited = Instant::now();
        let taken = take(&site, Duration::from_secs(10)).unwrap();
        assert!(waited.elapsed() >= Duration::from_secs(1));
        let item = read_item(&site).unwrap().unwrap();
        assert_eq!(item.owner, format!("{}@{}", std::process::id(), hostname()));
        drop(taken);
        assert!(read(&site).unwrap().is_none());
    }

    #[test]
    fn a_holder_that_cannot_renew_for_two_thirds_of_its_lease_counts_its_lock_lost() {
        let moto = Moto::start();
        let site = site(&moto, Duration::from_millis(900));
        let held = take(&site, Duration::ZERO).unwrap();
        assert!(!site.is_lost());
        // The endpoint goes away: renewals fail, and past two thirds of the lease a waiter
        // elsewhere could take the lock, so this holder must stop counting it as its own.
        let stopped = Instant::now();
        drop(moto);
        let deadline = stopped + Duration::from_secs(20);
        while !site.is_lost() {
            assert!(Instant::now() < deadline, "kept a lock it could not renew");
            std::thread::sleep(Duration::from_millis(50));
        }
        // Not at the first failed renewal, a third of the lease in.
        assert!(stopped.elapsed() >= Duration::from_millis(500));
        drop(held);
    }
}
