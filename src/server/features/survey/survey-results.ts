import { sql } from 'drizzle-orm';
import { toCsv } from '../../csv.ts';
import type { Language } from '#shared/domain.ts';
import type { SurveyResults } from '#shared/lifecycle-api.ts';
import type { DbOrTx } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { loadCalendarConfig } from '../calendar/calendar-store.ts';

/**
 * Satisfaction per desk and month of the answer (in the business calendar's time zone), over a
 * range of months. Reads only answered surveys of the range, through their partial index.
 */
export async function surveyResults(db: DbOrTx, language: Language, query: { from: string; to: string; deskId?: string | undefined }): Promise<SurveyResults> {
  if (query.to < query.from) throw new AppError(400, 'survey.range_inverted', 'The last month must not come before the first.', 'to');
  const { timeZone } = await loadCalendarConfig(db);
  type Row = {
    desk_id: string;
    names: Record<Language, string>;
    month: string;
    answers: string;
    rating_sum: string;
    c1: string;
    c2: string;
    c3: string;
    c4: string;
    c5: string;
  };
  const result = await db.execute(sql`
    select s.desk_id, d.names, to_char(s.answered_at at time zone ${timeZone}, 'YYYY-MM') as month,
      count(*) as answers, sum(s.rating) as rating_sum,
      count(*) filter (where s.rating = 1) as c1, count(*) filter (where s.rating = 2) as c2, count(*) filter (where s.rating = 3) as c3,
      count(*) filter (where s.rating = 4) as c4, count(*) filter (where s.rating = 5) as c5
    from satisfaction_survey s join desk d on d.id = s.desk_id
    where s.answered_at is not null
      and s.answered_at >= (${`${query.from}-01`}::date)::timestamp at time zone ${timeZone}
      and s.answered_at < ((${`${query.to}-01`}::date + interval '1 month')::timestamp) at time zone ${timeZone}
      ${query.deskId ? sql`and s.desk_id = ${query.deskId}` : sql``}
    group by s.desk_id, d.names, month
    order by month, d.names->>'en'`);
  const list = (result as unknown as { rows: Row[] }).rows;
  return {
    rows: list.map((r) => ({
      deskId: r.desk_id,
      deskName: r.names[language],
      month: r.month,
      answers: Number(r.answers),
      ratingSum: Number(r.rating_sum),
      counts: [r.c1, r.c2, r.c3, r.c4, r.c5].map(Number),
    })),
  };
}

export function surveyResultsCsv(results: SurveyResults): string {
  const header = ['desk', 'month', 'answers', 'average', 'rating_1', 'rating_2', 'rating_3', 'rating_4', 'rating_5'];
  const lines = results.rows.map((r) => {
    // Average to two decimals, from integers: no floating-point drift in the file.
    const hundredths = Math.round((r.ratingSum * 100) / r.answers);
    const average = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
    return [r.deskName, r.month, r.answers, average, ...r.counts];
  });
  return toCsv([header, ...lines]);
}
