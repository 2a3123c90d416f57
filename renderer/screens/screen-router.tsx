import type { IdleNotice, KioskInfo } from '../../electron/api/contract';
import type { Catalogue } from '../../kiosk-config/catalogue-schema';
import { applicantCard, prefillValue } from '../journey/draft';
import type { Journey } from '../state/use-journey';
import { CategoriesScreen } from './categories-screen';
import { IdleScreen } from './idle-screen';
import { CheckScreen } from './journey/check-screen';
import { ConsentScreen } from './journey/consent-screen';
import { DocumentScreen } from './journey/document-screen';
import { GoodbyeScreen } from './journey/goodbye-screen';
import { IdentifyScreen } from './journey/identify-screen';
import { PartiesScreen } from './journey/parties-screen';
import { ProgressScreen } from './journey/progress-screen';
import { QuestionScreen } from './journey/question-screen';
import { RatingScreen } from './journey/rating-screen';
import { SignatureScreen } from './journey/signature-screen';
import { SubmittedScreen } from './journey/submitted-screen';
import { NoticeScreen } from './notice-screen';
import { ProofScreen } from './proof-screen';
import type { KioskClient } from '../api/kiosk-client';
import { ServicesScreen } from './services-screen';

function todayIso(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** The screen for where the resident is: one case per screen, each wired to the journey's actions. */
export function ScreenRouter({
  journey,
  info,
  catalogue,
  notice,
  accepting,
  onStart,
  onFinished,
  client,
}: {
  journey: Journey;
  /** For the screens that call the services themselves (the proof screen). */
  client: KioskClient;
  info: KioskInfo;
  catalogue: Catalogue;
  /** The county's notice for the idle screen (a fleet command), or none. */
  notice: IdleNotice | null;
  /** False: the terminal takes no new application now (disk full); the notice screen says so. */
  accepting: boolean;
  /** The resident touched the idle screen. */
  onStart: () => void;
  /** The goodbye screen is done: wipe for the next person. */
  onFinished: () => void;
}) {
  const { screen, service, draft, go } = journey;
  const hall = service === undefined ? undefined : catalogue.halls.find((h) => h.id === service.hallId);
  switch (screen.name) {
    case 'idle':
      return (
        <IdleScreen
          catalogue={catalogue}
          terminalName={info.terminalName}
          notice={notice}
          onStart={onStart}
          onProgress={() => go({ name: 'progress' })}
        />
      );
    case 'categories':
      return (
        <CategoriesScreen
          catalogue={catalogue}
          card={applicantCard(draft)}
          onChoose={(categoryId) => go({ name: 'services', categoryId })}
          onChooseService={(serviceCode) => go({ name: 'notice', serviceCode })}
        />
      );
    case 'services':
      return (
        <ServicesScreen
          catalogue={catalogue}
          categoryId={screen.categoryId}
          card={draft.cards[0]}
          onChoose={(serviceCode) => go({ name: 'notice', serviceCode })}
        />
      );
    case 'notice':
      return service === undefined ? null : (
        <NoticeScreen
          service={service}
          // A proof (查询打印) saves nothing here: it goes on whatever the disk.
          refused={!accepting && service.document === undefined}
          onStart={() => go({ name: service.document === undefined ? 'identify' : 'proof', serviceCode: service.code })}
        />
      );
    case 'identify':
      return (
        <IdentifyScreen
          card={draft.cards[0]}
          problem={journey.cardProblem}
          readerWhere={info.cardReaderWhere}
          onNext={journey.advance}
          onRetry={journey.clearCardProblem}
        />
      );
    case 'parties':
      return (
        <PartiesScreen
          parties={draft.parties}
          secondCard={draft.cards[1]}
          onChoose={journey.chooseParties}
          onNext={journey.advance}
        />
      );
    case 'question': {
      const question = service?.questions[screen.index];
      return service === undefined || question === undefined ? null : (
        <QuestionScreen
          key={question.id}
          question={question}
          index={screen.index}
          total={service.questions.length}
          value={draft.answers[question.id]}
          prefilled={prefillValue(applicantCard(draft), question.prefill)}
          today={todayIso()}
          villageGroups={info.villageGroups}
          onAnswer={(value) => journey.answer(question.id, value)}
        />
      );
    }
    case 'consent':
      return service === undefined ? null : (
        <ConsentScreen service={service} hall={hall} retentionDays={info.retentionDays} onAgree={journey.consent} />
      );
    case 'document': {
      const requirement = service?.documents[screen.index];
      return service === undefined || requirement === undefined ? null : (
        <DocumentScreen
          key={requirement.id}
          requirement={requirement}
          index={screen.index}
          total={service.documents.length}
          cameraLabel={info.cameraLabel}
          current={draft.documents[requirement.id]}
          problem={journey.documentProblem}
          staffCheckChosen={draft.faceConsent === 'staff-check'}
          onPhoto={(dataUrl) => journey.photo(requirement, dataUrl)}
          onSkip={() => journey.skipDocument(requirement)}
          onNext={() => journey.documentDone(requirement)}
        />
      );
    }
    case 'signature':
      return <SignatureScreen client={client} onDone={journey.sign} />;
    case 'check':
      return service === undefined ? null : (
        <CheckScreen
          service={service}
          draft={draft}
          submitting={journey.submitting}
          problem={journey.submitProblem}
          canSubmit={journey.canSubmit}
          onEdit={journey.edit}
          onSubmit={() => void journey.submit()}
        />
      );
    case 'submitted':
      return service === undefined || draft.submitted === null ? null : (
        <SubmittedScreen
          result={draft.submitted}
          service={service}
          hall={hall}
          terminalId={info.terminalId}
          print={journey.print}
          onReprint={journey.reprint}
          onContinue={journey.advance}
        />
      );
    case 'rating':
      return <RatingScreen onRate={journey.rate} onSkip={journey.advance} />;
    case 'proof':
      return service === undefined ? null : (
        <ProofScreen service={service} card={draft.cards[0]} client={client} onDone={onFinished} />
      );
    case 'goodbye':
      return <GoodbyeScreen onDone={onFinished} />;
    case 'progress':
      return (
        <ProgressScreen
          catalogue={catalogue}
          cameraLabel={info.cameraLabel}
          result={journey.progress}
          cardProblem={journey.cardProblem}
          onLookupCode={(code) => journey.lookup({ code })}
          onLookupPayload={(payload) => journey.lookup({ payload })}
          onRetry={journey.clearProgress}
        />
      );
  }
}
