package dev.sluice.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReadProgressTest {
  @Test
  void answersWithTheLargestEventTimeReadByTheTimeAskedAbout() {
    ReadProgress progress = new ReadProgress();
    assertEquals(Long.MIN_VALUE, progress.largestReadBy(1_000));
    progress.read(500, 1_000);
    progress.read(400, 1_100); // not the newest: no step
    progress.read(900, 2_000);
    assertEquals(Long.MIN_VALUE, progress.largestReadBy(999));
    assertEquals(500, progress.largestReadBy(1_000));
    assertEquals(500, progress.largestReadBy(1_999));
    assertEquals(900, progress.largestReadBy(2_000));
    assertEquals(900, progress.largestReadBy(5_000));
    assertEquals(900, progress.largest());
  }

  @Test
  void aStepThatGathersRecordsCountsAsReadAtItsLast() {
    ReadProgress progress = new ReadProgress();
    progress.read(100, 1_000);
    progress.read(200, 1_000 + ReadProgress.STEP_MILLIS - 1);
    // Asked about a moment between: the step's newer record was not read yet, so not even its first
    // counts (never an answer ahead of the time asked about).
    assertEquals(Long.MIN_VALUE, progress.largestReadBy(1_000));
    assertEquals(200, progress.largestReadBy(1_000 + ReadProgress.STEP_MILLIS - 1));
    progress.read(300, 1_000 + ReadProgress.STEP_MILLIS); // a new step
    assertEquals(200, progress.largestReadBy(1_000 + ReadProgress.STEP_MILLIS - 1));
    assertEquals(300, progress.largestReadBy(1_000 + ReadProgress.STEP_MILLIS));
  }

  @Test
  void forgetsStepsPastTheRetentionButAnswersEverythingSince() {
    ReadProgress progress = new ReadProgress();
    for (long t = 0; t <= 2 * ReadProgress.RETAIN_MILLIS; t += 1_000) {
      progress.read(t, t);
    }
    long now = 2 * ReadProgress.RETAIN_MILLIS;
    assertEquals(now, progress.largestReadBy(now));
    assertEquals(
        now - ReadProgress.RETAIN_MILLIS, progress.largestReadBy(now - ReadProgress.RETAIN_MILLIS));
    assertEquals(Long.MIN_VALUE, progress.largestReadBy(now - ReadProgress.RETAIN_MILLIS - 1_000));
  }
}
