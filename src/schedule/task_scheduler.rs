//! Windows: a Task Scheduler task for the current user, created from an XML definition with
//! `schtasks /Create /XML` (which wants UTF-16 with a byte-order mark). It runs when the user is
//! logged on, starts late when the computer was off at the time, runs on battery, and runs
//! confide through `conhost.exe --headless` so no console window pops up.

use std::path::{Path, PathBuf};

use super::{Backend, Installed, NAME, ScheduleError, Target, When, must, remove_file, write};
use crate::system::effects::Effects;

/// The task definition as text, valid against Microsoft's Task Scheduler schema (vendored in
/// tests/fixtures/windows/schedule): task version 1.3, the one that schema fixes (Windows 8 and
/// later), and a trigger's elements in the schema's order (`Enabled` before `StartBoundary`).
pub fn task_xml(exe: &Path, when: When) -> String {
    let day = format!("{:?}", when.day);
    // 2024-01-01 was a Monday: the start boundary is the first chosen weekday on or after it.
    let date = jiff::civil::date(2024, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(when.day.to_monday_zero_offset())))
        .unwrap_or(jiff::civil::date(2024, 1, 1));
    format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.3" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>confide weekly check of this computer against your guidance ({describe})</Description>
    <URI>\{NAME}</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <Enabled>true</Enabled>
      <StartBoundary>{date}T{hour:02}:{minute:02}:00</StartBoundary>
      <RandomDelay>PT15M</RandomDelay>
      <ScheduleByWeek>
        <DaysOfWeek>
          <{day} />
        </DaysOfWeek>
        <WeeksInterval>1</WeeksInterval>
      </ScheduleByWeek>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>PT1H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>conhost.exe</Command>
      <Arguments>--headless "{exe}" scan --scheduled</Arguments>
    </Exec>
  </Actions>
</Task>
"#,
        describe = escape(&when.describe()),
        hour = when.hour,
        minute = when.minute,
        exe = escape(&exe.to_string_lossy()),
    )
}

/// UTF-16 little-endian with a byte-order mark, as `schtasks /XML` reads it.
pub fn utf16_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn xml_path(t: &Target) -> PathBuf {
    t.home.join(format!("{NAME}.xml"))
}

pub(super) fn install(fx: &dyn Effects, t: &Target, when: When) -> Result<Installed, ScheduleError> {
    let path = xml_path(t);
    write(fx, &path, &utf16_with_bom(&task_xml(&t.exe, when)))?;
    // /F replaces a task of the same name, so installing twice leaves one task.
    let result = must(
        fx,
        "schtasks",
        &["/Create", "/TN", NAME, "/XML", &path.to_string_lossy(), "/F"],
    );
    remove_file(fx, &path)?;
    result?;
    Ok(Installed {
        backend: Backend::TaskScheduler,
        location: format!("Task Scheduler task \"{NAME}\""),
        detail: None,
    })
}

pub(super) fn remove(fx: &dyn Effects, _t: &Target) -> Result<(), ScheduleError> {
    must(fx, "schtasks", &["/Delete", "/TN", NAME, "/F"]).map(|_| ())
}

pub(super) fn status(fx: &dyn Effects, _t: &Target) -> Option<Installed> {
    // `schtasks /Query` exits 0 when the task exists; its text is in the user's language, so it
    // is shown as it is rather than parsed.
    let out = fx.run("schtasks", &["/Query", "/TN", NAME, "/FO", "LIST"]);
    out.succeeded().then(|| Installed {
        backend: Backend::TaskScheduler,
        location: format!("Task Scheduler task \"{NAME}\""),
        detail: Some(out.stdout.trim().lines().map(str::trim).collect::<Vec<_>>().join("; ")).filter(|d| !d.is_empty()),
    })
}
