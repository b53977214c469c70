// Submissions built in the tests, in the wire format of domain::submission.
import { randomUUID } from 'node:crypto';

export function dailyHealth(id: string = randomUUID()) {
  return {
    id,
    created_at_ms: Date.now(),
    content: {
      kind: 'daily_health',
      body: {
        person: {
          profile_id: '00000000-0000-4000-8000-000000000007',
          full_name: 'Nguyễn Văn An',
          year_of_birth: 1985,
          phone: '0912345678',
        },
        on_behalf: false,
        consent_version: 1,
        answers: {
          fever: false,
          cough: false,
          shortness_of_breath: false,
          other_signs: '',
        },
      },
    },
  };
}
