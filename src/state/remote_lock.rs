//! The team lock of an environment whose state is in S3: an item in a DynamoDB table, taken with
//! a conditional put (free, or its lease has run out), kept alive by renewing the lease from a
//! background thread, and deleted on release only if it is still ours.
//!
//! A holder that dies stops renewing; its lease runs out after [`LEASE`] and the next idp takes
//! over. `idp unlock` removes the item at once.

use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::providers::aws::client::Client;
use crate::providers::aws::error::AwsError;
use crate::providers::aws::service::DYNAMODB;

use super::lock::{LockError, LockHolder, now};

/// How long a lock lasts without renewal.
const LEASE: Duration = Duration::from_secs(60);
/// How often a waiting idp tries again.
const POLL: Duration = Duration::from_millis(500);

/// Where a lock item lives.
#[derive(Clone)]
pub struct LockSite {
    pub client: Arc<Client>,
    pub table: String,
    /// `bucket/prefix/environment`.
    pub key: String,
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
        loop {
            let since = now();
            let put = json!({
                "TableName": site.table,
                "Item": {
                    "id": {"S": site.key},
                    "owner": {"S": owner},
                    "operation": {"S": operation},
                    "since": {"N": since.to_string()},
                    "lease_expires": {"N": (since + LEASE.as_secs()).to_string()},
                },
                "ConditionExpression": "attribute_not_exists(id) OR lease_expires < :now",
                "ExpressionAttributeValues": {":now": {"N": since.to_string()}},
            });
            match site.client.json(&DYNAMODB, "PutItem", &put) {
                Ok(_) => break,
                Err(e) if e.code() == Some("ResourceNotFoundException") && !created_table => {
                    create_table(site).map_err(|e| remote(site, &e))?;
                    created_table = true;
                }
                Err(e) if e.code() == Some("ConditionalCheckFailedException") => {
                    let holder = read(site)
                        .map_err(|e| remote(site, &e))?
                        .unwrap_or_else(|| LockHolder {
                            pid: 0,
                            host: None,
                            operation: "unknown".into(),
                            since: now(),
                        });
                    if Instant::now() >= deadline {
                        return Err(LockError::HeldRemote {
                            environment: environment.to_string(),
                            holder,
                            table: site.table.clone(),
                        });
                    }
                    if !told {
                        on_wait(&holder);
                        told = true;
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) => return Err(remote(site, &e)),
            }
        }
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

/// Extends the lease every third of it until told to stop.
fn renew(site: &LockSite, owner: &str, stop: &(Mutex<bool>, Condvar)) {
    let (stopped, signal) = stop;
    let mut guard = stopped.lock().expect("the renewal flag is never poisoned");
    loop {
        let (next, _) = signal
            .wait_timeout(guard, LEASE / 3)
            .expect("the renewal flag is never poisoned");
        guard = next;
        if *guard {
            return;
        }
        let _ = site.client.json(
            &DYNAMODB,
            "UpdateItem",
            &json!({
                "TableName": site.table,
                "Key": {"id": {"S": site.key}},
                "UpdateExpression": "SET lease_expires = :expires",
                "ConditionExpression": "#owner = :me",
                "ExpressionAttributeNames": {"#owner": "owner"},
                "ExpressionAttributeValues": {
                    ":me": {"S": owner},
                    ":expires": {"N": (now() + LEASE.as_secs()).to_string()},
                },
            }),
        );
    }
}

/// Returns who holds the lock, if anyone.
pub fn read(site: &LockSite) -> Result<Option<LockHolder>, AwsError> {
    let answer = match site.client.json(
        &DYNAMODB,
        "GetItem",
        &json!({"TableName": site.table, "Key": {"id": {"S": site.key}}, "ConsistentRead": true}),
    ) {
        Ok(answer) => answer,
        Err(e) if e.code() == Some("ResourceNotFoundException") => return Ok(None),
        Err(e) => return Err(e),
    };
    let item = &answer["Item"];
    if item.is_null() {
        return Ok(None);
    }
    let text = |name: &str| item[name]["S"].as_str().unwrap_or("unknown").to_string();
    let number = |name: &str| {
        item[name]["N"]
            .as_str()
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let owner = text("owner");
    let (pid, host) = owner.split_once('@').unwrap_or((owner.as_str(), ""));
    Ok(Some(LockHolder {
        pid: pid.parse().unwrap_or(0),
        host: Some(host.to_string()).filter(|h| !h.is_empty()),
        operation: text("operation"),
        since: number("since"),
    }))
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
