// Sample tasks for the demo: short news-style sentences, enough for a few batches per region.
const SUBJECTS = ['The city council', 'A local bakery', 'The football club', 'Researchers in Lisbon', 'The airline', 'A startup from Nairobi', 'The museum', 'Farmers near Lyon', 'The central bank', 'Volunteers in Osaka'];
const EVENTS = [
  'announced record profits this quarter',
  'cancelled the summer festival after heavy rain',
  'opened a new branch downtown',
  'was fined for missing safety checks',
  'won an award for clean energy',
  'delayed the launch by six months',
  'hired two hundred new staff',
  'reported a data breach affecting customers',
  'signed a partnership with Siemens',
  'closed its last factory in the region',
];
const PEOPLE = ['Maria Schmidt', 'Kenji Watanabe', 'Amina Yusuf', 'Lucas Moreau', 'Priya Nair', 'Tom Becker'];
const PLACES = ['Berlin', 'Madrid', 'Singapore', 'Toronto', 'Cape Town', 'Sydney'];
const ORGS = ['Siemens', 'Unilever', 'the United Nations', 'Airbus', 'Toyota', 'the World Bank'];

export function sentimentPool(count: number): { id: string; text: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `sent-${String(i + 1).padStart(4, '0')}`,
    text: `${SUBJECTS[i % SUBJECTS.length]} ${EVENTS[(i * 3) % EVENTS.length]}.`,
  }));
}

export function entityPool(count: number): { id: string; text: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `ner-${String(i + 1).padStart(4, '0')}`,
    text: `${PEOPLE[i % PEOPLE.length]} met officials from ${ORGS[(i * 5) % ORGS.length]} in ${PLACES[(i * 7) % PLACES.length]} on Tuesday.`,
  }));
}
